package org.betaas.shell.vm;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmTemplate;
import org.betaas.shell.NamesCompleter;

/** Completes the names of the VM templates this gateway knows. */
@Service
public class TemplateNameCompleter extends NamesCompleter {

    @Reference
    TemplateRegistry templates;

    @Override
    protected Stream<String> names() {
        return templates.templates().stream().map(VmTemplate::name);
    }
}
