package org.betaas.taas.vm.openstack.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Queue;

import org.betaas.api.vm.DriverStatus;
import org.junit.Test;

public class CloudReachabilityTest {

    private final NovaVmDriverTest.TestClock clock = new NovaVmDriverTest.TestClock();
    /** What was handed to the background, run when the test says so. */
    private final Queue<Runnable> background = new ArrayDeque<>();
    private boolean up;
    private int probes;
    private final CloudReachability reachability = new CloudReachability(() -> {
        probes++;
        return up ? new DriverStatus(true, "https://keystone:5000/v3", "Nova at https://nova:8774/v2.1")
                : new DriverStatus(false, "https://keystone:5000/v3", "Cannot connect to OpenStack: timed out");
    }, background::add, clock, Duration.ofSeconds(30));

    @Test
    public void aReachableCloudIsProbedOnEveryCall() {
        up = true;
        assertTrue(reachability.status().reachable());
        assertTrue(reachability.status().reachable());
        assertEquals(2, probes);
        assertTrue(background.isEmpty());
    }

    @Test
    public void aCloudOutOfReachIsAnsweredFromItsLastProbeWithoutWaitingForIt() {
        DriverStatus first = reachability.status();
        assertFalse(first.reachable());
        assertEquals(1, probes);

        clock.now = clock.now.plusSeconds(10);
        DriverStatus cached = reachability.status();
        assertFalse(cached.reachable());
        assertTrue(cached.detail(), cached.detail().equals("Cannot connect to OpenStack: timed out (as of 10 s ago)"));
        assertEquals("within the interval nothing is probed", 1, probes);
        assertTrue(background.isEmpty());

        // after the interval the caller still gets the last answer at once; one probe goes to the background
        clock.now = clock.now.plusSeconds(25);
        assertFalse(reachability.status().reachable());
        assertFalse(reachability.status().reachable());
        assertEquals(1, probes);
        assertEquals("one background probe, not one per caller", 1, background.size());
        background.poll().run();
        assertEquals(2, probes);

        // that probe found it back: the next caller probes it inline again and sees it reachable
        up = true;
        clock.now = clock.now.plusSeconds(30);
        assertFalse(reachability.status().reachable());
        background.poll().run();
        assertTrue(reachability.status().reachable());
        assertEquals(4, probes);
    }
}
