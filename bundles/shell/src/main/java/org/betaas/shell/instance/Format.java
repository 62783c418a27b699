package org.betaas.shell.instance;

import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

import org.betaas.api.instance.GatewayStatus;

/** How instance figures read in the shell. */
final class Format {

    private Format() {
    }

    static String counters(Map<String, Long> counters) {
        StringJoiner j = new StringJoiner(", ");
        counters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> j.add(e.getKey() + "=" + e.getValue()));
        return j.toString();
    }

    static String resources(GatewayStatus s) {
        if (s == null || s.resources() == null) {
            return "-";
        }
        GatewayStatus.Resources r = s.resources();
        return String.format(Locale.ROOT, "%d cores %.0f%%, mem %.0f%%", r.cpuCores(), r.cpuLoad() * 100,
                r.memoryTotal() == 0 ? 0.0 : 100.0 * r.memoryUsed() / r.memoryTotal())
                + (r.batteryPercent() == null ? "" : String.format(Locale.ROOT, ", bat %.0f%%", r.batteryPercent()));
    }

    /** What the forecast leaves free for VMs. */
    static String headroom(GatewayStatus s) {
        if (s == null || s.headroom() == null) {
            return "-";
        }
        GatewayStatus.Amount a = s.headroom().available();
        return String.format(Locale.ROOT, "%.1f vCPU, %.0f MiB", a.vcpus(), a.memoryMiB())
                + (s.headroom().forecastBased() ? "" : " (now)");
    }

    static String trust(double t) {
        return String.format(Locale.ROOT, "%.2f", t);
    }

    static String ago(long then, long now) {
        if (then <= 0) {
            return "never";
        }
        long s = Math.max(0, (now - then) / 1000);
        return s < 120 ? s + " s ago" : s / 60 + " min ago";
    }
}
