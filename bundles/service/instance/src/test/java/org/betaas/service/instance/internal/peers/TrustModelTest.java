package org.betaas.service.instance.internal.peers;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class TrustModelTest {

    private final TrustModel model = new TrustModel();

    private double trust(int missed, int failed, int ok, Double battery, Double trend, int net, double rep) {
        return model.trust(new TrustObservation(missed, failed, ok, battery, trend, net, rep));
    }

    @Test
    public void aFlawlessMainsPoweredPeerIsFullyTrusted() {
        assertEquals(1.0, trust(0, 0, 10, null, null, 0, Double.NaN), 1e-9);
        assertEquals(1.0, trust(0, 0, 0, null, null, 0, 1.0), 1e-9);
    }

    @Test
    public void theWeightsSumToOne() {
        assertEquals(1.0, TrustModel.W_HEARTBEATS + TrustModel.W_REQUESTS + TrustModel.W_BATTERY
                + TrustModel.W_NETWORK + TrustModel.W_REPUTATION, 1e-12);
    }

    @Test
    public void eachInputLowersTrust() {
        double base = trust(0, 0, 0, null, null, 0, 1.0);
        assertTrue(trust(3, 0, 0, null, null, 0, 1.0) < base);
        assertTrue(trust(0, 2, 0, null, null, 0, 1.0) < base);
        assertTrue(trust(0, 0, 0, 20.0, null, 0, 1.0) < base);
        assertTrue(trust(0, 0, 0, 90.0, -45.0, 0, 1.0) < base);
        assertTrue(trust(0, 0, 0, null, null, 4, 1.0) < base);
        assertTrue(trust(0, 0, 0, null, null, 0, 0.2) < base);
    }

    @Test
    public void theDocumentedExampleHolds() {
        // docs/instance-protocol.md: 3 missed heartbeats, 1 failed of 3 requests, 40 % battery falling 10 %/h,
        // 1 network error, reputation 0.8
        double expected = 0.30 * Math.pow(0.8, 3) + 0.25 * (4.0 / 5.0) + 0.15 * Math.min(0.8, 4.0 / 6.0)
                + 0.10 * 0.85 + 0.20 * 0.8;
        assertEquals(expected, trust(3, 1, 2, 40.0, -10.0, 1, 0.8), 1e-9);
        assertEquals(0.699, expected, 0.001);
    }

    @Test
    public void aChargingOrFullBatteryDoesNotCount() {
        assertEquals(1.0, TrustModel.battery(60.0, 5.0), 1e-9);
        assertEquals(1.0, TrustModel.battery(100.0, -1.0), 1e-9);
        assertEquals(0.0, TrustModel.battery(0.0, -1.0), 1e-9);
    }

    @Test
    public void trustStaysInTheUnitInterval() {
        double t = trust(1000, 1000, 0, 0.0, -100.0, 1000, 0.0);
        assertTrue(t >= 0 && t < 0.01);
        assertEquals(1.0, trust(0, 0, 0, null, null, 0, 7.0), 1e-9);
    }
}
