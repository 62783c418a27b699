package org.betaas.shell.apps;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.betaas.api.apps.App;
import org.betaas.api.apps.ServiceManager;

/** Completes the names of the installed apps. */
@Service
public class AppNameCompleter implements Completer {

    @Reference
    ServiceManager apps;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        apps.list().stream().map(App::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
