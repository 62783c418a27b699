package org.betaas.shell.vm;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmStats;

@Service
@Command(scope = "betaas", name = "vm-info", description = "Shows one VM: its record and its CPU and memory use")
public class VmInfoCommand implements Action {

    @Reference
    VmManager vms;

    @Argument(index = 0, name = "id", required = true, description = "the VM's id (betaas:vm-list)")
    @Completion(VmIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        Optional<VmInstance> found = vms.find(id);
        if (found.isEmpty()) {
            out.println("No VM '" + id + "' on this gateway: betaas:vm-list shows the VMs");
            out.flush();
            return null;
        }
        VmInstance vm = found.get();
        out.println("Id          " + vm.id());
        out.println("Template    " + vm.template());
        out.println("Driver      " + vm.driver());
        out.println("Location    " + vm.location());
        out.println("State       " + vm.state());
        out.println("Created     " + vm.createdAt());
        out.println("Uptime      " + VmFormat.uptime(vm, Instant.now()));
        out.println("vCPU        " + vm.vcpus());
        out.println("Memory      " + VmFormat.mib(vm.memoryMiB()));
        if (vm.state() == VmState.RUNNING || vm.state() == VmState.STOPPED) {
            try {
                Optional<VmStats> stats = vms.stats(id);
                if (stats.isPresent()) {
                    VmStats s = stats.get();
                    out.println("CPU time    " + String.format("%.1f s", s.cpuTimeNanos() / 1e9));
                    if (s.cpuPercent() >= 0) {
                        out.println("CPU use     " + String.format("%.1f %%", s.cpuPercent()));
                    }
                    out.println("Memory use  " + VmFormat.mib(s.memoryMiB()) + " of " + VmFormat.mib(s.maxMemoryMiB()));
                }
            } catch (VmException e) {
                out.println("Statistics  not available: " + e.getMessage());
            }
        }
        out.flush();
        return null;
    }
}
