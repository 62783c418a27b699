package org.betaas.shell.vm;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmTemplate;

/** Completes the names of the VM templates this gateway knows. */
@Service
public class TemplateNameCompleter implements Completer {

    @Reference
    TemplateRegistry templates;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter names = new StringsCompleter();
        templates.templates().stream().map(VmTemplate::name).forEach(names.getStrings()::add);
        return names.complete(session, commandLine, candidates);
    }
}
