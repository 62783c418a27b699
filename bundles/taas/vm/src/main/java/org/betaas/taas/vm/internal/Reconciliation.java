package org.betaas.taas.vm.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;

/**
 * What changes when the records of one driver's VMs meet what the driver reports: a recorded VM that is no
 * longer reported has vanished, a reported VM without record is adopted, the others take the reported state.
 */
record Reconciliation(List<VmInstance> changed, List<VmInstance> adopted, List<VmInstance> vanished) {

    static Reconciliation of(String driver, List<VmInstance> records, List<VmInstance> reported) {
        Map<String, VmInstance> byId = reported.stream()
                .collect(Collectors.toMap(VmInstance::id, Function.identity(), (a, b) -> a));
        List<VmInstance> changed = new ArrayList<>();
        List<VmInstance> vanished = new ArrayList<>();
        for (VmInstance record : records) {
            if (!record.driver().equals(driver)) {
                continue;
            }
            VmInstance now = byId.remove(record.id());
            if (now == null) {
                if (record.state() != VmState.VANISHED) {
                    vanished.add(record.withState(VmState.VANISHED));
                }
            } else if (now.state() != record.state()) {
                changed.add(record.withState(now.state()));
            }
        }
        List<VmInstance> adopted = byId.values().stream()
                .map(vm -> vm.template() == null || vm.template().isEmpty()
                        ? new VmInstance(vm.id(), "unknown", vm.driver(), vm.location(), vm.state(), vm.createdAt(),
                        vm.vcpus(), vm.memoryMiB())
                        : vm)
                .toList();
        return new Reconciliation(changed, adopted, vanished);
    }
}
