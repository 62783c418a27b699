package org.betaas.service.dependability.internal;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import org.betaas.api.vm.VmState;

/**
 * The VMs' heartbeats as the hypervisor shows them: a running guest always spends some CPU time (its timer ticks,
 * at least), a suspended or hung one none. Fed once per look with each VM's state and CPU time; tells when the CPU
 * time last advanced and whether a RUNNING VM has stood still for too long. Not thread-safe.
 */
final class VmHeartbeats {

    private final Map<String, Long> cpuTime = new HashMap<>();
    private final Map<String, Instant> lastProgress = new HashMap<>();
    /** Since when each VM is RUNNING without a break, as far as the looks saw. */
    private final Map<String, Instant> runningSince = new HashMap<>();

    /**
     * One look at one VM.
     *
     * @param cpuTimeNanos its CPU time now; null when the driver does not tell (then it is never called hung)
     */
    void observe(String vmId, VmState state, Long cpuTimeNanos, Instant now) {
        if (state == VmState.RUNNING) {
            runningSince.putIfAbsent(vmId, now);
        } else {
            runningSince.remove(vmId);
        }
        if (state != VmState.RUNNING && state != VmState.STOPPED || cpuTimeNanos == null) {
            cpuTime.remove(vmId);
            return;
        }
        Long before = cpuTime.put(vmId, cpuTimeNanos);
        // less CPU time than before: a new QEMU process (restarted between two looks), which has run: progress too
        if (before != null && !cpuTimeNanos.equals(before)) {
            lastProgress.put(vmId, now);
        }
    }

    /** When its CPU time was last seen advancing; null before the first advance seen. */
    Instant lastProgress(String vmId) {
        return lastProgress.get(vmId);
    }

    /**
     * Whether the VM is RUNNING and its CPU time has not advanced for {@code stall} (counted from its last advance,
     * or from when it was seen RUNNING again after a stop, whichever is later). Only VMs seen advancing once count:
     * a driver that tells no CPU time never makes a VM hung.
     */
    boolean hung(String vmId, Duration stall, Instant now) {
        Instant progress = lastProgress.get(vmId);
        Instant running = runningSince.get(vmId);
        if (stall.isZero() || progress == null || running == null || !cpuTime.containsKey(vmId)) {
            return false;
        }
        Instant from = progress.isAfter(running) ? progress : running;
        return Duration.between(from, now).compareTo(stall) >= 0;
    }

    /** Forgets the VMs no longer listed. */
    void retain(Set<String> present) {
        cpuTime.keySet().retainAll(present);
        lastProgress.keySet().retainAll(present);
        runningSince.keySet().retainAll(present);
    }
}
