package org.betaas.service.instance.internal;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The instance configuration (PID {@code org.betaas.instance}) parsed once into checked values. Wrong values are
 * replaced by defaults and reported as problems; problems never contain the password or the key.
 */
final class InstanceSettings {

    static final String FILE = "etc/org.betaas.instance.cfg";
    static final int MIN_KEY_LENGTH = 16;

    private final String brokerUrl;
    private final String brokerUser;
    private final String brokerPassword;
    private final String instanceKey;
    private final boolean join;
    private final Duration keepAlive;
    private final Duration statusPeriod;
    private final Duration replayWindow;
    private final Duration requestTimeout;
    private final Duration trustWindow;
    private final double trustThreshold;
    private final List<String> problems;

    private InstanceSettings(String brokerUrl, String brokerUser, String brokerPassword, String instanceKey,
                             boolean join, Duration keepAlive, Duration statusPeriod, Duration replayWindow,
                             Duration requestTimeout, Duration trustWindow, double trustThreshold,
                             List<String> problems) {
        this.brokerUrl = brokerUrl;
        this.brokerUser = brokerUser;
        this.brokerPassword = brokerPassword;
        this.instanceKey = instanceKey;
        this.join = join;
        this.keepAlive = keepAlive;
        this.statusPeriod = statusPeriod;
        this.replayWindow = replayWindow;
        this.requestTimeout = requestTimeout;
        this.trustWindow = trustWindow;
        this.trustThreshold = trustThreshold;
        this.problems = List.copyOf(problems);
    }

    static InstanceSettings parse(String brokerUrl, String brokerUser, String brokerPassword, String instanceKey,
                                  boolean join, int keepAliveSeconds, int statusPeriodSeconds,
                                  int replayWindowSeconds, int requestTimeoutSeconds, int trustWindowMinutes,
                                  double trustThreshold) {
        List<String> problems = new ArrayList<>();
        String url = brokerUrl == null ? "" : brokerUrl.trim();
        if (!url.isEmpty() && !validBrokerUrl(url)) {
            String shown = url.contains("@") ? "(a URL with credentials)" : "'" + url + "'";
            problems.add("broker.url in " + FILE + " is " + shown + ": use tcp://HOST:PORT or ssl://HOST:PORT,"
                    + " e.g. broker.url=tcp://127.0.0.1:1883 (not joining meanwhile)");
            url = "";
        }
        String key = instanceKey == null ? "" : instanceKey.trim();
        if (!key.isEmpty() && key.length() < MIN_KEY_LENGTH) {
            problems.add("instance.key in " + FILE + " is shorter than " + MIN_KEY_LENGTH + " characters: use the"
                    + " instance's shared key, e.g. from 'openssl rand -base64 32' (not joining meanwhile)");
            key = "";
        }
        int keepAlive = inRange("keepalive.seconds", keepAliveSeconds, 3, 300, 15, problems);
        int defaultPeriod = Math.max(1, keepAlive / 3);
        int period = statusPeriodSeconds <= 0 ? defaultPeriod
                : inRange("status.period.seconds", statusPeriodSeconds, 1, keepAlive - 1, defaultPeriod, problems);
        int window = inRange("replay.window.seconds", replayWindowSeconds, 5, 3600, 30, problems);
        int timeout = inRange("request.timeout.seconds", requestTimeoutSeconds, 1, 600, 10, problems);
        int trustWindow = inRange("trust.window.minutes", trustWindowMinutes, 1, 24 * 60, 10, problems);
        double threshold = trustThreshold;
        if (Double.isNaN(threshold) || threshold < 0 || threshold >= 1) {
            problems.add("trust.threshold in " + FILE + " is " + trustThreshold + ": use a value in [0,1), 0 to"
                    + " never dismiss automatically (using 0.2 meanwhile)");
            threshold = 0.2;
        }
        return new InstanceSettings(url, brokerUser == null ? "" : brokerUser.trim(),
                brokerPassword == null ? "" : brokerPassword, key, join, Duration.ofSeconds(keepAlive),
                Duration.ofSeconds(period), Duration.ofSeconds(window), Duration.ofSeconds(timeout),
                Duration.ofMinutes(trustWindow), threshold, problems);
    }

    /**
     * The TLS files of an {@code ssl://} broker; relative paths are taken from {@code etc} (the folder of this
     * configuration). A file that cannot be read is reported (the connection then fails and says so too).
     */
    static org.betaas.service.instance.internal.bus.BrokerTls tls(String keyStore, String keyStorePassword,
                                                                 String trustStore, String trustStorePassword,
                                                                 java.nio.file.Path etc, List<String> problems) {
        java.nio.file.Path ks = file("broker.keyStore", keyStore, etc, problems);
        java.nio.file.Path ts = file("broker.trustStore", trustStore, etc, problems);
        return new org.betaas.service.instance.internal.bus.BrokerTls(ks,
                keyStorePassword == null ? "" : keyStorePassword, ts,
                trustStorePassword == null ? "" : trustStorePassword);
    }

    private static java.nio.file.Path file(String key, String value, java.nio.file.Path etc, List<String> problems) {
        if (value == null || value.isBlank()) {
            return null;
        }
        java.nio.file.Path p = etc.resolve(value.trim()).toAbsolutePath().normalize();
        if (!java.nio.file.Files.isReadable(p)) {
            problems.add(key + " in " + FILE + " is " + p + ", which does not exist or cannot be read: give this"
                    + " gateway's PKCS#12/JKS file");
        }
        return p;
    }

    static boolean validBrokerUrl(String url) {
        try {
            URI u = new URI(url);
            return ("tcp".equals(u.getScheme()) || "ssl".equals(u.getScheme())) && u.getHost() != null
                    && u.getPort() > 0 && u.getUserInfo() == null;
        } catch (Exception e) {
            return false;
        }
    }

    private static int inRange(String key, int value, int min, int max, int fallback, List<String> problems) {
        if (value < min || value > max) {
            problems.add(key + " in " + FILE + " is " + value + ": use " + min + ".." + max + " (using " + fallback
                    + " meanwhile)");
            return fallback;
        }
        return value;
    }

    /** Why the gateway does not join, or null when it can. */
    String missing() {
        if (!join) {
            return "left: run betaas:instance-join to join again";
        }
        if (brokerUrl.isEmpty()) {
            return "no broker configured: set broker.url in " + FILE + " or run betaas:instance-join --broker URL";
        }
        if (instanceKey.isEmpty()) {
            return "no instance key configured: set instance.key in " + FILE + " or run betaas:instance-join --key";
        }
        return null;
    }

    String brokerUrl() {
        return brokerUrl;
    }

    String brokerUser() {
        return brokerUser;
    }

    String brokerPassword() {
        return brokerPassword;
    }

    String instanceKey() {
        return instanceKey;
    }

    boolean join() {
        return join;
    }

    Duration keepAlive() {
        return keepAlive;
    }

    Duration statusPeriod() {
        return statusPeriod;
    }

    Duration replayWindow() {
        return replayWindow;
    }

    Duration requestTimeout() {
        return requestTimeout;
    }

    Duration trustWindow() {
        return trustWindow;
    }

    double trustThreshold() {
        return trustThreshold;
    }

    List<String> problems() {
        return problems;
    }

    @Override
    public String toString() {
        return "InstanceSettings[broker=" + brokerUrl + ", user=" + brokerUser + ", keepAlive=" + keepAlive + "]";
    }
}
