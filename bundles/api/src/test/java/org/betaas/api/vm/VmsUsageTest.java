package org.betaas.api.vm;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class VmsUsageTest {

    @Test
    public void backgroundIsTheHostUseMinusTheVmsUse() {
        assertEquals(300, VmsUsage.background(1000, 700), 0);
        VmsUsage vms = new VmsUsage(1.5, 700, 2048);
        assertEquals(0.5, vms.vcpusOutside(2.0), 1e-12);
        assertEquals(300, vms.memoryOutside(1000), 0);
        assertEquals(8192 - 2048, vms.storageOutside(8192), 0);
    }

    @Test
    public void backgroundIsNeverNegative() {
        // the host sampled before a VM grew: its use looks smaller than the VMs'
        assertEquals(0, VmsUsage.background(500, 700), 0);
        assertEquals(0, new VmsUsage(3, 0, 0).vcpusOutside(1.2), 0);
    }

    @Test
    public void noOrUnknownVmUseLeavesTheHostUse() {
        assertEquals(1000, VmsUsage.NONE.memoryOutside(1000), 0);
        assertEquals(1000, VmsUsage.background(1000, Double.NaN), 0);
        assertEquals(1000, VmsUsage.background(1000, -5), 0);
        assertTrue(Double.isNaN(VmsUsage.background(Double.NaN, 10)));
    }

    @Test
    public void usesAddUpAndDescribeThemselves() {
        VmsUsage sum = new VmsUsage(0.25, 100, 10).plus(new VmsUsage(0.5, 28, 5));
        assertEquals(new VmsUsage(0.75, 128, 15), sum);
        assertEquals("0.75 cores, 128 MiB memory, 15 MiB storage", sum.describe());
    }
}
