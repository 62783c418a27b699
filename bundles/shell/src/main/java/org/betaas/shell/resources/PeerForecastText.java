package org.betaas.shell.resources;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.GatewayStatus.Amount;
import org.betaas.api.instance.GatewayStatus.Headroom;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.resources.ResourceKind;

/**
 * A peer's forecast as its last status carries it: per resource, what it offers to VMs, what its VMs reserve, the
 * peak of its forecast use over its horizon with the upper bound, and what that leaves free.
 */
final class PeerForecastText {

    private PeerForecastText() {
    }

    /** The text for {@code kinds} of {@code peer} (one resource, or all when several are given). */
    static String of(PeerGateway peer, List<ResourceKind> kinds) {
        StringBuilder text = new StringBuilder();
        GatewayStatus status = peer.status();
        if (status == null) {
            return text.append(peer.gatewayId()).append(": no status received yet, so no forecast; try again after")
                    .append(" its next heartbeat (betaas:gateway-list shows when it was last seen)\n").toString();
        }
        Headroom h = status.headroom();
        text.append(peer.gatewayId()).append(" (peer").append(peer.online() ? "" : ", offline")
                .append("): from its status of ").append(Instant.ofEpochMilli(status.timestamp())).append(", ")
                .append(h == null ? "which carries no forecast"
                        : h.forecastBased() ? "Holt forecast over its horizon"
                        : "no forecast yet on that gateway: its current use stands in for it")
                .append('\n');
        boolean battery = kinds.contains(ResourceKind.BATTERY);
        if (h != null && kinds.stream().anyMatch(k -> k != ResourceKind.BATTERY)) {
            ShellTable table = new ShellTable();
            table.column("Resource");
            table.column("Capacity");
            table.column("Reserved by VMs");
            table.column("Forecast peak");
            table.column("Upper bound");
            table.column("Predicted free");
            Amount free = h.available();
            for (ResourceKind kind : kinds) {
                if (kind == ResourceKind.BATTERY) {
                    continue;
                }
                table.addRow().addContent(ResourceNames.name(kind), amount(kind, h.capacity()),
                        amount(kind, h.reserved()), amount(kind, h.forecast()), amount(kind, h.forecastUpper()),
                        amount(kind, free));
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            table.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), true);
            text.append(bytes.toString(StandardCharsets.UTF_8));
        }
        if (battery) {
            Double percent = status.resources() == null ? null : status.resources().batteryPercent();
            text.append(percent == null ? "battery: none (mains powered)"
                    : String.format(Locale.ROOT, "battery: %.1f %% now (peers publish no battery forecast)", percent))
                    .append('\n');
        }
        return text.toString();
    }

    static String amount(ResourceKind kind, Amount a) {
        return switch (kind) {
            case CPU -> String.format(Locale.ROOT, "%.1f vCPU", a.vcpus());
            case MEMORY -> String.format(Locale.ROOT, "%.0f MiB", a.memoryMiB());
            case STORAGE -> String.format(Locale.ROOT, "%.0f MiB", a.storageMiB());
            case BATTERY -> "";
        };
    }
}
