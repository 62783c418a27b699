package org.betaas.taas.resources.internal;

import java.util.Collection;

import org.betaas.api.resources.VmReservation;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;

/** What this gateway's VMs reserve at one instant, sampled into the history under {@link VmReservation}. */
record ReservedAmounts(double vcpus, double memoryMiB) {

    double of(VmReservation r) {
        return r == VmReservation.VM_VCPUS ? vcpus : memoryMiB;
    }

    /** The sum over the VMs of {@code driver} that hold their resources (defined, running or stopped). */
    static ReservedAmounts of(Collection<VmInstance> vms, String driver) {
        double vcpus = 0;
        double memory = 0;
        for (VmInstance vm : vms) {
            if (driver.equals(vm.driver()) && holds(vm.state())) {
                vcpus += vm.vcpus();
                memory += vm.memoryMiB();
            }
        }
        return new ReservedAmounts(vcpus, memory);
    }

    private static boolean holds(VmState state) {
        return state != VmState.DESTROYED && state != VmState.VANISHED && state != VmState.FAILED;
    }
}
