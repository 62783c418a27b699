package org.betaas.shell.vm;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;

@Service
@Command(scope = "betaas", name = "vm-deploy",
        description = "Deploys a VM from a template: where the TaaS Resources Manager places it, or with --local on this gateway")
public class VmDeployCommand implements Action {

    @Reference
    VmManager vms;

    @Reference(optional = true)
    TaasResourcesManager placement;

    @Option(name = "--local", aliases = "-l", description = "deploy on this gateway's own hypervisor, without placement")
    boolean local;

    @Option(name = "--driver", aliases = "-d", description = "with --local: the VM driver to use (default libvirt)")
    String driver = "libvirt";

    @Argument(index = 0, name = "template", required = true, description = "the template's name (betaas:template-list)")
    @Completion(TemplateNameCompleter.class)
    String template;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        VmRequest request = new VmRequest(template, "shell");
        try {
            VmInstance vm;
            if (local) {
                vm = vms.deploy(request, driver);
            } else if (placement == null) {
                out.println("Placement (the TaaS Resources Manager) is not installed on this gateway: "
                        + "use betaas:vm-deploy --local " + template + " to deploy here");
                out.flush();
                return null;
            } else {
                vm = placement.deploy(request);
            }
            out.println("Deployed VM " + vm.id() + " from " + vm.template() + " on " + VmFormat.where(vm) + ": "
                    + vm.state() + ", " + vm.vcpus() + " vCPU, " + VmFormat.mib(vm.memoryMiB()));
        } catch (VmException e) {
            out.println("Cannot deploy '" + template + "': " + e.getMessage());
        }
        out.flush();
        return null;
    }
}
