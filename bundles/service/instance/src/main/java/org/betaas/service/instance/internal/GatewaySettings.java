package org.betaas.service.instance.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The gateway configuration parsed once into checked values. Wrong values are replaced by safe defaults and
 * reported as problems, so a typo in the configuration file never takes the gateway down.
 */
final class GatewaySettings {

    static final String FILE = "etc/org.betaas.gateway.cfg";
    static final String DEFAULT_GATEWAY_ID = "unconfigured-gateway";
    static final String DEFAULT_INSTANCE_ID = "default";

    /** Ids appear in MQTT topics, VM names and file names: keep them to a safe alphabet. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private final String gatewayId;
    private final String instanceId;
    private final List<String> problems;

    private GatewaySettings(String gatewayId, String instanceId, List<String> problems) {
        this.gatewayId = gatewayId;
        this.instanceId = instanceId;
        this.problems = List.copyOf(problems);
    }

    static GatewaySettings parse(String gatewayId, String instanceId) {
        List<String> problems = new ArrayList<>();
        String gw = checked("gateway.id", gatewayId, DEFAULT_GATEWAY_ID, "gw-1", problems);
        String inst = checked("instance.id", instanceId, DEFAULT_INSTANCE_ID, "home", problems);
        return new GatewaySettings(gw, inst, problems);
    }

    private static String checked(String key, String value, String fallback, String example, List<String> problems) {
        String v = value == null ? "" : value.trim();
        if (v.isEmpty()) {
            problems.add(key + " in " + FILE + " is empty: set it to a name unique within the instance, e.g. "
                    + key + "=" + example + " (using '" + fallback + "' meanwhile)");
            return fallback;
        }
        if (!ID.matcher(v).matches()) {
            problems.add(key + " in " + FILE + " is '" + v + "': use 1-63 letters, digits, '.', '_' or '-', starting"
                    + " with a letter or digit, e.g. " + key + "=" + example + " (using '" + fallback + "' meanwhile)");
            return fallback;
        }
        return v;
    }

    String gatewayId() {
        return gatewayId;
    }

    String instanceId() {
        return instanceId;
    }

    List<String> problems() {
        return problems;
    }
}
