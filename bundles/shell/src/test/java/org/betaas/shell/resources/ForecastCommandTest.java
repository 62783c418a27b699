package org.betaas.shell.resources;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.util.List;
import java.util.Map;

import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.GatewayStatus.Amount;
import org.betaas.api.instance.GatewayStatus.Headroom;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.resources.ResourceKind;
import org.betaas.shell.resources.ForecastCommand.Target;
import org.junit.Test;

public class ForecastCommandTest {

    private static final List<String> PEERS = List.of("gw-2", "gw-3");

    @Test
    public void noArgumentMeansEveryResourceOfThisGateway() {
        Target t = Target.resolve(null, null, "gw-1", PEERS);
        assertNull(t.error());
        assertNull(t.gateway());
        assertEquals(List.of(ResourceKind.values()), t.kinds());
    }

    @Test
    public void aResourceAloneIsThisGatewaysResource() {
        Target t = Target.resolve("cpu", null, "gw-1", PEERS);
        assertNull(t.error());
        assertNull(t.gateway());
        assertEquals(List.of(ResourceKind.CPU), t.kinds());
    }

    @Test
    public void aGatewayThenAResource() {
        assertEquals("gw-2", Target.resolve("gw-2", null, "gw-1", PEERS).gateway());
        Target t = Target.resolve("gw-3", "memory", "gw-1", PEERS);
        assertEquals("gw-3", t.gateway());
        assertEquals(List.of(ResourceKind.MEMORY), t.kinds());
        // this gateway by its id: the live history
        Target self = Target.resolve("gw-1", "storage", "gw-1", PEERS);
        assertNull(self.error());
        assertNull(self.gateway());
        assertEquals(List.of(ResourceKind.STORAGE), self.kinds());
    }

    @Test
    public void unknownNamesGetOneLineWithTheChoices() {
        assertEquals("Unknown gateway 'gw-9': use one of gw-1, gw-2, gw-3 (betaas:gateway-list shows the instance)",
                Target.resolve("gw-9", "cpu", "gw-1", PEERS).error());
        assertEquals("Unknown resource 'disk': use one of cpu, memory, storage, battery",
                Target.resolve("gw-2", "disk", "gw-1", PEERS).error());
        String alone = Target.resolve("disk", null, "gw-1", PEERS).error();
        assertTrue(alone, alone.startsWith("Unknown resource 'disk': use one of cpu, memory, storage, battery,"));
        assertTrue(alone, alone.endsWith("or a gateway of the instance first: gw-1, gw-2, gw-3"));
        assertFalse(alone, alone.contains("\n"));
    }

    @Test
    public void aPeersForecastComesFromItsStatusHeadroom() {
        Headroom headroom = new Headroom(new Amount(8, 8192, 65536), new Amount(2, 2048, 4096),
                new Amount(1.25, 1024, 10000), new Amount(2.5, 1536, 12000), true);
        GatewayStatus status = new GatewayStatus("gw-2", "0.1.0", true, "s", new GatewayStatus.Resources(4, 0.3,
                8L << 30, 1L << 30, 64L << 30, 10L << 30, 80.0), headroom, List.of(), null, null, false, Map.of(),
                List.of(), 1_700_000_000_000L);
        PeerGateway peer = new PeerGateway("gw-2", false, true, false, 1.0, 0, 0, status);
        String text = PeerForecastText.of(peer, List.of(ResourceKind.values()));
        assertTrue(text, text.startsWith("gw-2 (peer): from its status of 2023-11-14T22:13:20Z, Holt forecast"));
        String cpu = text.lines().filter(l -> l.trim().startsWith("cpu")).findFirst().orElseThrow();
        // capacity, reserved, forecast peak, upper bound, predicted free = 8 - 2 - 2.5
        assertTrue(cpu, cpu.matches("\\s*cpu\\s*\\|\\s*8\\.0 vCPU\\s*\\|\\s*2\\.0 vCPU\\s*\\|\\s*1\\.3 vCPU\\s*\\|"
                + "\\s*2\\.5 vCPU\\s*\\|\\s*3\\.5 vCPU\\s*"));
        String memory = text.lines().filter(l -> l.trim().startsWith("memory")).findFirst().orElseThrow();
        assertTrue(memory, memory.contains("4608 MiB"));
        assertTrue(text, text.contains("battery: 80.0 % now (peers publish no battery forecast)"));

        String noStatus = PeerForecastText.of(new PeerGateway("gw-3", false, true, false, 1, 0, 0, null),
                List.of(ResourceKind.CPU));
        assertTrue(noStatus, noStatus.startsWith("gw-3: no status received yet"));
    }
}
