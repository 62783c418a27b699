package org.betaas.shell.vm;

import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmManager;

@Service
@Command(scope = "betaas", name = "vm-resume", description = "Resumes a stopped VM")
public class VmResumeCommand extends VmLifecycleCommand {

    @Override
    String verb() {
        return "resume";
    }

    @Override
    String done() {
        return "Resumed";
    }

    @Override
    void apply(VmManager manager, String vmId) throws VmException {
        manager.resume(vmId);
    }
}
