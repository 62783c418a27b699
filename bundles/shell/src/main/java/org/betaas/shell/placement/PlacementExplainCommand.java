package org.betaas.shell.placement;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.shell.vm.TemplateNameCompleter;

@Service
@Command(scope = "betaas", name = "placement-explain",
        description = "Shows where a VM of the template would be placed and why, without deploying it")
public class PlacementExplainCommand implements Action {

    @Argument(index = 0, name = "template", required = true, description = "the VM template, e.g. bigdata-compute")
    @Completion(TemplateNameCompleter.class)
    String template;

    @Reference(optional = true)
    TaasResourcesManager manager;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        if (manager == null) {
            out.println("No TaaS Resources Manager is running: feature:install betaas-taas");
        } else {
            out.print(DecisionText.of(template, manager.place(new VmRequest(template, "shell"))));
        }
        out.flush();
        return null;
    }
}
