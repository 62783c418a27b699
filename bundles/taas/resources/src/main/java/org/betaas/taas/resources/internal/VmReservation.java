package org.betaas.taas.resources.internal;

import java.util.Collection;

import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;

/**
 * The resources this gateway's VMs reserve, sampled into the history beside the measured use (stored under these
 * names, next to the {@link org.betaas.api.resources.ResourceKind} samples).
 */
enum VmReservation {
    /** Virtual CPUs reserved by the VMs of this gateway's hypervisor. */
    VM_VCPUS,
    /** Memory reserved by them, MiB. */
    VM_MEMORY;

    /** What VMs reserve at one instant. */
    record Amounts(double vcpus, double memoryMiB) {

        double of(VmReservation r) {
            return r == VM_VCPUS ? vcpus : memoryMiB;
        }

        /** The sum over the VMs of {@code driver} that hold their resources (defined, running or stopped). */
        static Amounts of(Collection<VmInstance> vms, String driver) {
            double vcpus = 0;
            double memory = 0;
            for (VmInstance vm : vms) {
                if (driver.equals(vm.driver()) && holds(vm.state())) {
                    vcpus += vm.vcpus();
                    memory += vm.memoryMiB();
                }
            }
            return new Amounts(vcpus, memory);
        }

        private static boolean holds(VmState state) {
            return state != VmState.DESTROYED && state != VmState.VANISHED && state != VmState.FAILED;
        }
    }
}
