package org.betaas.shell.vm;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;

/** Completes the ids of the VMs this gateway's VM Manager knows. */
@Service
public class VmIdCompleter implements Completer {

    @Reference
    VmManager vms;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        vms.list().stream().map(VmInstance::id).forEach(ids.getStrings()::add);
        return ids.complete(session, commandLine, candidates);
    }
}
