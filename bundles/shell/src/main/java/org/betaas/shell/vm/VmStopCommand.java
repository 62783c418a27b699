package org.betaas.shell.vm;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmManager;

@Service
@Command(scope = "betaas", name = "vm-stop", description = "Stops a VM (suspended: its memory stays reserved, vm-resume continues it at once)")
public class VmStopCommand extends VmLifecycleCommand {

    @Override
    String verb() {
        return "stop";
    }

    @Override
    String done() {
        return "Stopped";
    }

    @Override
    void apply(VmManager manager, String vmId) throws VmException {
        manager.stop(vmId);
    }
}
