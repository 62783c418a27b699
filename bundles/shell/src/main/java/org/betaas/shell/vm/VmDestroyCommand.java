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
@Command(scope = "betaas", name = "vm-destroy", description = "Destroys a VM: stops it and removes it, its disk and its record")
public class VmDestroyCommand implements Action {

    @Reference
    VmManager vms;

    @Argument(index = 0, name = "id", required = true, description = "the VM's id (betaas:vm-list)")
    @Completion(VmIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        try {
            vms.destroy(id);
            out.println("Destroyed VM " + id);
        } catch (VmException e) {
            out.println("Cannot destroy VM '" + id + "': " + e.getMessage());
        }
        out.flush();
        return null;
    }
}
