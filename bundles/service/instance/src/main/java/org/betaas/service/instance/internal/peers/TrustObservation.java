package org.betaas.service.instance.internal.peers;

/**
 * What one gateway has observed of a peer, the inputs of {@link TrustModel}.
 *
 * @param missedHeartbeats    status periods without a status, within the trust window
 * @param failedRequests      requests to the peer that failed or timed out, within the trust window
 * @param succeededRequests   requests to the peer that succeeded, within the trust window
 * @param batteryPercent      the peer's reported charge, null when mains powered
 * @param batteryTrendPerHour its reported trend, percent per hour, null if unknown
 * @param networkErrors       connection losses: reported by the peer plus unexpected disconnects observed
 * @param reputation          the mean trust other members publish in the peer, NaN when none does
 */
public record TrustObservation(int missedHeartbeats, int failedRequests, int succeededRequests, Double batteryPercent,
                               Double batteryTrendPerHour, int networkErrors, double reputation) {
}
