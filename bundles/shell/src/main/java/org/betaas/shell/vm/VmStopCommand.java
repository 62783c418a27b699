package org.betaas.shell.vm;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmManager;

@Service
@Command(scope = "betaas", name = "vm-stop", description = "Stops a VM (suspended: its memory stays reserved, vm-resume continues it at once)")
public class VmStopCommand implements Action {

    @Reference
    VmManager vms;

    @Argument(index = 0, name = "id", required = true, description = "the VM's id (betaas:vm-list)")
    @Completion(VmIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        try {
            vms.stop(id);
            out.println("Stopped VM " + id);
        } catch (VmException e) {
            out.println("Cannot stop VM '" + id + "': " + e.getMessage());
        }
        out.flush();
        return null;
    }
}
