package org.betaas.service.instance.internal.bus;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.fail;

import java.util.List;
import java.util.Map;

import org.betaas.api.instance.GatewayStatus;
import org.junit.Test;

public class InstanceCodecTest {

    private final InstanceCodec codec = new InstanceCodec();

    static GatewayStatus status(String id) {
        return new GatewayStatus(id, "0.1.0", true, "s-1",
                new GatewayStatus.Resources(4, 0.25, 8L << 30, 2L << 30, 100L << 30, 10L << 30, null),
                new GatewayStatus.Headroom(new GatewayStatus.Amount(4, 8192, 100_000), GatewayStatus.Amount.NONE,
                        new GatewayStatus.Amount(1, 2048, 10_000), new GatewayStatus.Amount(1.5, 3000, 12_000), true),
                List.of(new GatewayStatus.VmSummary("vm-1", "tiny", "libvirt", "RUNNING", 1, 96, 1_700_000_000_000L)),
                new GatewayStatus.TrustInputs(80.0, -2.5, 1),
                new GatewayStatus.Capabilities(true, "amd64", List.of("libvirt"), 0.5, 2.0), false,
                Map.of("gw-2", 0.9),
                List.of(new GatewayStatus.Replacement("gw-3", "vm-7", "tiny", "gw-1", "vm-9", 5L)), 1_700_000_000_000L);
    }

    @Test
    public void aStatusRoundTrips() {
        GatewayStatus s = status("gw-1");
        assertEquals(s, codec.status(codec.write(s)));
    }

    @Test
    public void unknownFieldsOfANewerMinorVersionAreIgnored() {
        String json = codec.write(status("gw-1")).replaceFirst("\\{", "{\"futureField\":[1,2],");
        assertEquals(status("gw-1"), codec.status(json));
    }

    @Test
    public void capabilitiesOfAGatewayThatDoesNotReportItsCpuFiguresReadAsUnknown() {
        String json = codec.write(status("gw-1")).replace(",\"cpuSpeed\":0.5,\"cpuAllocationRatio\":2.0", "");
        GatewayStatus.Capabilities c = codec.status(json).capabilities();
        assertEquals(new GatewayStatus.Capabilities(true, "amd64", List.of("libvirt")), c);
        assertNull(c.cpuSpeed());
    }

    @Test
    public void missingOptionalPartsBecomeEmpty() {
        GatewayStatus s = codec.status("{\"gatewayId\":\"gw-9\",\"online\":true,\"timestamp\":5}");
        assertEquals("gw-9", s.gatewayId());
        assertEquals(List.of(), s.vms());
        assertNull(s.resources());
    }

    @Test
    public void garbageIsAClearError() {
        try {
            codec.status("{not json");
            fail();
        } catch (IllegalArgumentException e) {
            assertEquals(true, e.getMessage().startsWith("not a valid GatewayStatus"));
        }
    }

    @Test
    public void requestsAndRepliesRoundTrip() {
        PeerRequest r = new PeerRequest("c-1", PeerRequest.DEPLOY, "betaas/home/gateways/gw-1/replies", "tiny",
                null, null, "shell");
        assertEquals(r, codec.request(codec.write(r)));
        PeerReply reply = new PeerReply("c-1", false, "no such template 'tiny'", null, null);
        assertEquals(reply, codec.reply(codec.write(reply)));
    }

    @Test
    public void topicsNameTheirGateway() {
        Topics t = new Topics("home");
        assertEquals("betaas/home/gateways/gw-2/status", t.status("gw-2"));
        assertEquals("gw-2", t.gatewayOf(t.status("gw-2")));
        assertEquals("gw-3", t.gatewayOf(t.dismissed("gw-3")));
        assertNull(t.gatewayOf("betaas/office/gateways/gw-2/status"));
    }
}
