package org.betaas.taas.vm.libvirt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.annotation.Annotation;

import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.junit.Test;

/** Against libvirt's built-in test hypervisor, which needs no daemon. */
public class LibvirtDriverTest {

    static LibvirtConfiguration uri(String uri) {
        return new LibvirtConfiguration() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return LibvirtConfiguration.class;
            }

            @Override
            public String uri() {
                return uri;
            }
        };
    }

    @Test
    public void testHypervisorIsReachable() {
        DriverStatus status = new LibvirtDriver(uri("test:///default")).status();
        assertTrue(status.detail(), status.reachable());
        assertEquals("test:///default", status.endpoint());
        assertTrue(status.detail(), status.detail().startsWith("TEST "));
    }

    @Test
    public void unreachableHypervisorIsReportedNotThrown() {
        DriverStatus status = new LibvirtDriver(uri("qemu+tcp://127.0.0.1:1/system")).status();
        assertFalse(status.reachable());
        assertTrue(status.detail(), status.detail().contains("etc/org.betaas.vm.libvirt.cfg"));
    }

    @Test
    public void capacityCountsWhatTheDefinedDomainsReserve() throws Exception {
        // test:///default has one running domain "test" with 2 vCPUs and 8 GiB max memory on a 16-CPU host
        HostCapacity capacity = new LibvirtDriver(uri("test:///default")).capacity();
        assertEquals(16, capacity.vcpus());
        assertEquals(2, capacity.reservedVcpus());
        assertEquals(8 * 1024, capacity.reservedMemoryMiB());
    }

    @Test
    public void versionsAreDecoded() {
        assertEquals("7.2.0", LibvirtDriver.version(7_002_000));
        assertEquals("10.10.3", LibvirtDriver.version(10_010_003));
    }
}
