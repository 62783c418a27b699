package org.betaas.shell.vm;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.shell.NamesCompleter;

/** Completes the ids of the VMs this gateway's VM Manager knows. */
@Service
public class VmIdCompleter extends NamesCompleter {

    @Reference
    VmManager vms;

    @Override
    protected Stream<String> names() {
        return vms.list().stream().map(VmInstance::id);
    }
}
