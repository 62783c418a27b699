package org.betaas.shell.vm;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmManager;

@Service
@Command(scope = "betaas", name = "vm-destroy", description = "Destroys a VM: stops it and removes it, its disk and its record")
public class VmDestroyCommand extends VmLifecycleCommand {

    @Override
    String verb() {
        return "destroy";
    }

    @Override
    String done() {
        return "Destroyed";
    }

    @Override
    void apply(VmManager manager, String vmId) throws VmException {
        manager.destroy(vmId);
    }
}
