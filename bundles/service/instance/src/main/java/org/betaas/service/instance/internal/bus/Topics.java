package org.betaas.service.instance.internal.bus;

/** The MQTT topics of one instance (docs/instance-protocol.md). */
public record Topics(String instance) {

    public static final String ROOT = "betaas/";

    public String status(String gatewayId) {
        return ROOT + instance + "/gateways/" + gatewayId + "/status";
    }

    public String requests(String gatewayId) {
        return ROOT + instance + "/gateways/" + gatewayId + "/requests";
    }

    public String replies(String gatewayId) {
        return ROOT + instance + "/gateways/" + gatewayId + "/replies";
    }

    public String dismissed(String gatewayId) {
        return ROOT + instance + "/dismissed/" + gatewayId;
    }

    public String allStatuses() {
        return ROOT + instance + "/gateways/+/status";
    }

    public String allDismissed() {
        return ROOT + instance + "/dismissed/+";
    }

    /** The gateway id a topic of this instance belongs to, or null. */
    public String gatewayOf(String topic) {
        String prefix = ROOT + instance + "/";
        if (!topic.startsWith(prefix)) {
            return null;
        }
        String[] parts = topic.substring(prefix.length()).split("/");
        if (parts.length == 3 && parts[0].equals("gateways")) {
            return parts[1];
        }
        if (parts.length == 2 && parts[0].equals("dismissed")) {
            return parts[1];
        }
        return null;
    }
}
