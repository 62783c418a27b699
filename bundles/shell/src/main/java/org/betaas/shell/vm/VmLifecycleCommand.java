package org.betaas.shell.vm;

import java.io.PrintStream;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmManager;

/**
 * What vm-stop, vm-resume and vm-destroy share: one VM id argument, one VmManager call, a one-line outcome.
 * Karaf injects the annotated fields of superclasses, so each command only names its operation.
 */
abstract class VmLifecycleCommand implements Action {

    @Reference
    VmManager vms;

    @Argument(index = 0, name = "id", required = true, description = "the VM's id (betaas:vm-list)")
    @Completion(VmIdCompleter.class)
    String id;

    /** The operation in the user's words, e.g. "stop". */
    abstract String verb();

    /** The same in the past tense, e.g. "Stopped". */
    abstract String done();

    abstract void apply(VmManager manager, String vmId) throws VmException;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        try {
            apply(vms, id);
            out.println(done() + " VM " + id);
        } catch (VmException e) {
            out.println("Cannot " + verb() + " VM '" + id + "': " + e.getMessage());
        }
        out.flush();
        return null;
    }
}
