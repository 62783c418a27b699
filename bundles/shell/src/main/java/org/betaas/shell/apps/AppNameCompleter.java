package org.betaas.shell.apps;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.apps.App;
import org.betaas.api.apps.ServiceManager;
import org.betaas.shell.NamesCompleter;

/** Completes the names of the installed apps. */
@Service
public class AppNameCompleter extends NamesCompleter {

    @Reference
    ServiceManager apps;

    @Override
    protected Stream<String> names() {
        return apps.list().stream().map(App::name);
    }
}
