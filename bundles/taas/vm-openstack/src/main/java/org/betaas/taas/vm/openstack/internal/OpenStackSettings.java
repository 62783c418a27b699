package org.betaas.taas.vm.openstack.internal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The OpenStack driver's configuration, parsed once. {@link #toString()} never shows the password.
 *
 * @param authUrl      Keystone v3 URL; empty when no cloud is configured
 * @param problems     one message per wrong value (the driver then reports them in its status)
 */
record OpenStackSettings(String authUrl, String user, String password, String project, String domain,
                         String region, int maxVms, Duration idleTime, Duration pollInterval,
                         Duration buildTimeout, Duration requestTimeout, Map<String, String> flavors,
                         List<String> problems) {

    static final String CFG = "etc/org.betaas.vm.openstack.cfg";

    OpenStackSettings {
        flavors = Map.copyOf(flavors);
        problems = List.copyOf(problems);
    }

    static OpenStackSettings from(OpenStackConfiguration c) {
        return of(c.authUrl(), c.user(), c.password(), c.project(), c.domain(), c.region(), c.maxVms(),
                c.idleSeconds(), c.pollIntervalMillis(), c.buildTimeoutSeconds(), c.requestTimeoutSeconds(),
                c.flavors());
    }

    static OpenStackSettings of(String authUrl, String user, String password, String project, String domain,
                                String region, int maxVms, long idleSeconds, long pollMillis,
                                long buildTimeoutSeconds, long requestTimeoutSeconds, String[] flavorPairs) {
        List<String> problems = new ArrayList<>();
        String url = trim(authUrl);
        while (url.endsWith("/")) {
            url = url.substring(0, url.length() - 1);
        }
        if (!url.isEmpty()) {
            if (!url.startsWith("http://") && !url.startsWith("https://")) {
                problems.add("authUrl '" + url + "' is not an http(s) URL");
            }
            if (trim(user).isEmpty()) {
                problems.add("user is empty");
            }
            if (trim(project).isEmpty()) {
                problems.add("project is empty");
            }
        }
        if (maxVms < 0) {
            problems.add("maxVms " + maxVms + " is negative");
        }
        Map<String, String> flavors = new LinkedHashMap<>();
        for (String pair : flavorPairs == null ? new String[0] : flavorPairs) {
            for (String one : pair.split(",")) {
                if (one.isBlank()) {
                    continue;
                }
                int eq = one.indexOf('=');
                if (eq <= 0 || eq == one.length() - 1) {
                    problems.add("flavors entry '" + one.trim() + "' is not template=flavor");
                } else {
                    flavors.put(one.substring(0, eq).trim(), one.substring(eq + 1).trim());
                }
            }
        }
        String d = trim(domain).isEmpty() ? "Default" : trim(domain);
        return new OpenStackSettings(url, trim(user), password == null ? "" : password, trim(project), d,
                trim(region), Math.max(0, maxVms), positive(Duration.ofSeconds(idleSeconds), Duration.ofHours(1)),
                positive(Duration.ofMillis(pollMillis), Duration.ofSeconds(2)),
                positive(Duration.ofSeconds(buildTimeoutSeconds), Duration.ofMinutes(5)),
                positive(Duration.ofSeconds(requestTimeoutSeconds), Duration.ofSeconds(30)), flavors, problems);
    }

    private static String trim(String s) {
        return s == null ? "" : s.trim();
    }

    private static Duration positive(Duration d, Duration fallback) {
        return d.isNegative() || d.isZero() ? fallback : d;
    }

    /** "30 s", or "300 ms" below a second. */
    static String text(Duration d) {
        return d.toMillis() < 1000 ? d.toMillis() + " ms" : d.toSeconds() + " s";
    }

    boolean configured() {
        return !authUrl.isEmpty();
    }

    /** The Keystone URL ending in /v3, whether or not the operator wrote the version. */
    String identityV3() {
        return authUrl.endsWith("/v3") ? authUrl : authUrl + "/v3";
    }

    @Override
    public String toString() {
        return "OpenStackSettings[authUrl=" + authUrl + ", user=" + user + ", password="
                + (password.isEmpty() ? "(empty)" : "(hidden)") + ", project=" + project + ", domain=" + domain
                + ", region=" + region + ", maxVms=" + maxVms + ", idleTime=" + idleTime + ", pollInterval="
                + pollInterval + ", buildTimeout=" + buildTimeout + ", requestTimeout=" + requestTimeout
                + ", flavors=" + flavors + ", problems=" + problems + "]";
    }
}
