package org.betaas.service.dependability.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.Set;

import org.betaas.api.vm.VmState;
import org.junit.Test;

public class VmHeartbeatsTest {

    private final VmHeartbeats beats = new VmHeartbeats();
    private final Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    private final Duration stall = Duration.ofSeconds(10);

    private Instant at(int seconds) {
        return t0.plusSeconds(seconds);
    }

    @Test
    public void progressIsWhenTheCpuTimeLastAdvanced() {
        beats.observe("vm", VmState.RUNNING, 100L, at(0));
        assertNull("one sample tells nothing", beats.lastProgress("vm"));
        beats.observe("vm", VmState.RUNNING, 200L, at(1));
        beats.observe("vm", VmState.RUNNING, 200L, at(2));
        assertEquals(at(1), beats.lastProgress("vm"));
    }

    @Test
    public void aRunningVmWithoutProgressForTheStallIsHung() {
        beats.observe("vm", VmState.RUNNING, 100L, at(0));
        beats.observe("vm", VmState.RUNNING, 200L, at(1));
        for (int s = 2; s <= 10; s++) {
            beats.observe("vm", VmState.RUNNING, 200L, at(s));
            assertFalse("at " + s, beats.hung("vm", stall, at(s)));
        }
        beats.observe("vm", VmState.RUNNING, 200L, at(11));
        assertTrue(beats.hung("vm", stall, at(11)));
        beats.observe("vm", VmState.RUNNING, 201L, at(12));
        assertFalse("progress again", beats.hung("vm", stall, at(12)));
    }

    @Test
    public void aQemuRestartedBetweenTwoLooksIsNotHungWhileItsCpuTimeCatchesUp() {
        Duration stall = Duration.ofSeconds(5);
        beats.observe("vm", VmState.RUNNING, 4_000_000_000L, at(0));
        beats.observe("vm", VmState.RUNNING, 5_000_000_000L, at(1));
        // killed and started again by a recovery between two looks: the new process starts from zero
        beats.observe("vm", VmState.RUNNING, 100_000_000L, at(2));
        beats.observe("vm", VmState.RUNNING, 200_000_000L, at(6));
        assertEquals(at(6), beats.lastProgress("vm"));
        assertFalse(beats.hung("vm", stall, at(7)));
    }

    @Test
    public void aStoppedVmIsNeverHungAndItsStallCountsFromItsResume() {
        beats.observe("vm", VmState.RUNNING, 100L, at(0));
        beats.observe("vm", VmState.RUNNING, 200L, at(1));
        beats.observe("vm", VmState.STOPPED, 200L, at(2));
        beats.observe("vm", VmState.STOPPED, 200L, at(60));
        assertFalse(beats.hung("vm", stall, at(60)));
        assertEquals(at(1), beats.lastProgress("vm"));
        beats.observe("vm", VmState.RUNNING, 200L, at(61));
        assertFalse("just resumed", beats.hung("vm", stall, at(61)));
        beats.observe("vm", VmState.RUNNING, 200L, at(71));
        assertTrue(beats.hung("vm", stall, at(71)));
    }

    @Test
    public void withoutCpuTimeOrWithStallZeroNothingIsHung() {
        beats.observe("vm", VmState.RUNNING, null, at(0));
        beats.observe("vm", VmState.RUNNING, null, at(100));
        assertFalse(beats.hung("vm", stall, at(100)));
        assertNull(beats.lastProgress("vm"));

        beats.observe("vm2", VmState.RUNNING, 1L, at(0));
        beats.observe("vm2", VmState.RUNNING, 2L, at(1));
        beats.observe("vm2", VmState.RUNNING, 2L, at(100));
        assertFalse(beats.hung("vm2", Duration.ZERO, at(100)));
        // the driver stops telling: no longer judged
        beats.observe("vm2", VmState.RUNNING, null, at(101));
        assertFalse(beats.hung("vm2", stall, at(101)));
    }

    @Test
    public void vmsNoLongerListedAreForgotten() {
        beats.observe("vm", VmState.RUNNING, 1L, at(0));
        beats.observe("vm", VmState.RUNNING, 2L, at(1));
        beats.retain(Set.of());
        assertNull(beats.lastProgress("vm"));
        assertFalse(beats.hung("vm", stall, at(100)));
    }
}
