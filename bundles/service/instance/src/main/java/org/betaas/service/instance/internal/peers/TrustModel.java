package org.betaas.service.instance.internal.peers;

/**
 * Trust in a peer, in [0,1]: a weighted mean of five scores in [0,1] (weights and formulas documented in
 * docs/instance-protocol.md, section "Trust"). A peer nobody has an opinion about is judged on the other four
 * scores (the reputation weight is redistributed), so a new instance does not start out distrustful.
 */
public final class TrustModel {

    public static final double W_HEARTBEATS = 0.30;
    public static final double W_REQUESTS = 0.25;
    public static final double W_BATTERY = 0.15;
    public static final double W_NETWORK = 0.10;
    public static final double W_REPUTATION = 0.20;

    /** Each missed heartbeat keeps 80 % of the score: 3 missed → 0.51, 10 missed → 0.11. */
    static final double HEARTBEAT_DECAY = 0.8;
    /** Each connection loss keeps 85 % of the score. */
    static final double NETWORK_DECAY = 0.85;
    /** At or above this charge the battery does not lower trust. */
    static final double BATTERY_COMFORTABLE_PERCENT = 50;
    /** With at least this much time left at the current discharge rate the trend does not lower trust. */
    static final double BATTERY_COMFORTABLE_HOURS = 6;

    public double trust(TrustObservation o) {
        double sum = W_HEARTBEATS * heartbeats(o.missedHeartbeats())
                + W_REQUESTS * requests(o.failedRequests(), o.succeededRequests())
                + W_BATTERY * battery(o.batteryPercent(), o.batteryTrendPerHour())
                + W_NETWORK * network(o.networkErrors());
        double weights = W_HEARTBEATS + W_REQUESTS + W_BATTERY + W_NETWORK;
        if (!Double.isNaN(o.reputation())) {
            sum += W_REPUTATION * clamp(o.reputation());
            weights += W_REPUTATION;
        }
        return clamp(sum / weights);
    }

    static double heartbeats(int missed) {
        return Math.pow(HEARTBEAT_DECAY, Math.max(0, missed));
    }

    /** Laplace-smoothed success ratio with a prior of two successes: one failure alone gives 2/3. */
    static double requests(int failed, int succeeded) {
        return (succeeded + 2.0) / (succeeded + failed + 2.0);
    }

    static double battery(Double percent, Double trendPerHour) {
        if (percent == null || Double.isNaN(percent)) {
            return 1;
        }
        double level = clamp(percent / BATTERY_COMFORTABLE_PERCENT);
        if (trendPerHour == null || Double.isNaN(trendPerHour) || trendPerHour >= 0) {
            return level;
        }
        double hoursLeft = percent / -trendPerHour;
        return Math.min(level, clamp(hoursLeft / BATTERY_COMFORTABLE_HOURS));
    }

    static double network(int errors) {
        return Math.pow(NETWORK_DECAY, Math.max(0, errors));
    }

    private static double clamp(double v) {
        return Double.isNaN(v) ? 0 : Math.max(0, Math.min(1, v));
    }
}
