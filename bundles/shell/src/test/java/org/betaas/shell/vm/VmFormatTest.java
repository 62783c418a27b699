package org.betaas.shell.vm;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.time.Instant;

import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;
import org.junit.Test;

public class VmFormatTest {

    @Test
    public void durationsAreShort() {
        assertEquals("42s", VmFormat.duration(Duration.ofSeconds(42)));
        assertEquals("2m 05s", VmFormat.duration(Duration.ofSeconds(125)));
        assertEquals("1h 01m", VmFormat.duration(Duration.ofSeconds(3_660)));
        assertEquals("3d 4h", VmFormat.duration(Duration.ofHours(76)));
        assertEquals("0s", VmFormat.duration(Duration.ofSeconds(-3)));
    }

    @Test
    public void onlyLiveVmsHaveAnUptime() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        VmInstance vm = new VmInstance("a", "service", "libvirt", "gw1", VmState.RUNNING, t, 1, 128);
        assertEquals("1m 00s", VmFormat.uptime(vm, t.plusSeconds(60)));
        assertEquals("-", VmFormat.uptime(vm.withState(VmState.VANISHED), t.plusSeconds(60)));
        assertEquals("libvirt@gw1", VmFormat.where(vm));
        assertEquals("128 MiB", VmFormat.mib(128));
        assertEquals("2 GiB", VmFormat.mib(2048));
    }
}
