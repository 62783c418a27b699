package org.betaas.shell.vm;

import java.io.PrintStream;
import java.time.Instant;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;

@Service
@Command(scope = "betaas", name = "vm-list", description = "Lists the VMs of this gateway's VM Manager")
public class VmListCommand implements Action {

    @Reference
    VmManager vms;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        ShellTable table = new ShellTable();
        for (String c : new String[] {"Id", "Template", "Where", "State", "Uptime", "vCPU", "Memory"}) {
            table.column(c);
        }
        Instant now = Instant.now();
        for (VmInstance vm : vms.list()) {
            table.addRow().addContent(vm.id(), vm.template(), VmFormat.where(vm), vm.state(),
                    VmFormat.uptime(vm, now), vm.vcpus(), VmFormat.mib(vm.memoryMiB()));
        }
        table.print(out);
        out.flush();
        return null;
    }
}
