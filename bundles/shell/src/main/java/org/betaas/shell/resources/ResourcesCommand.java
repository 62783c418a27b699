package org.betaas.shell.resources;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.resources.VmReservation;
import org.betaas.shell.Units;

@Service
@Command(scope = "betaas", name = "resources",
        description = "Shows this gateway's resources now, how many samples its history holds and their Holt"
                + " forecast for the next sampling interval")
public class ResourcesCommand implements Action {

    @Reference
    ResourceMonitor monitor;

    @Reference
    ResourceHistory history;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        ResourceSnapshot now = monitor.current();
        out.println("Sampled every " + history.interval().toSeconds() + " s; forecast = next interval, trend per"
                + " interval, 95 % prediction interval");
        ShellTable table = new ShellTable();
        table.column("Resource");
        table.column("Now");
        table.column("Of");
        table.column("History");
        table.column("Next");
        table.column("Trend");
        table.column("Interval");
        for (ResourceKind kind : ResourceKind.values()) {
            double current = now.used(kind);
            double[] series = history.series(kind);
            if (Double.isNaN(current) && series.length == 0) {
                continue; // no battery on this gateway
            }
            Forecast f = history.forecast(kind);
            String next = "-";
            String trend = "-";
            String interval = "-";
            if (f != null && f.horizon() > 0 && series.length > 0) {
                next = ResourceNames.amount(kind, f.forecasts().get(0));
                trend = ResourceNames.change(kind, f.trend());
                interval = ResourceNames.amount(kind, f.lower().get(0)) + " .. "
                        + ResourceNames.amount(kind, f.upper().get(0));
            }
            table.addRow().addContent(ResourceNames.name(kind),
                    Double.isNaN(current) ? "-" : ResourceNames.amount(kind, current), capacity(kind, now),
                    Units.count(series.length, "sample"), next, trend, interval);
        }
        table.print(out);
        out.println(reservedByVms());
        out.flush();
        return null;
    }

    /** The measured use above includes what the VMs consume; what they reserve is sampled beside it. */
    private String reservedByVms() {
        double[] vcpus = history.series(VmReservation.VM_VCPUS);
        double[] memory = history.series(VmReservation.VM_MEMORY);
        int known = 0;
        for (double v : vcpus) {
            known += Double.isNaN(v) ? 0 : 1;
        }
        if (known == 0) {
            return "Reserved by VMs: unknown (no VM Manager on this gateway)";
        }
        double lastVcpus = last(vcpus);
        double lastMemory = last(memory);
        String now = Double.isNaN(lastVcpus) ? "unknown at the last sample"
                : String.format(Locale.ROOT, "%.0f vCPU, %.0f MiB", lastVcpus, lastMemory);
        return "Reserved by VMs: " + now + " (history: " + known + " of " + Units.count(vcpus.length, "sample") + ")";
    }

    private static double last(double[] series) {
        return series.length == 0 ? Double.NaN : series[series.length - 1];
    }

    private static String capacity(ResourceKind kind, ResourceSnapshot s) {
        return switch (kind) {
            case CPU -> s.cpuCores() + " cores";
            case MEMORY -> ResourceNames.bytes(s.memoryTotal());
            case STORAGE -> ResourceNames.bytes(s.storageTotal());
            case BATTERY -> "100 %";
        };
    }
}
