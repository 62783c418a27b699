package org.betaas.shell.resources;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;

@Service
@Command(scope = "betaas", name = "forecast",
        description = "Shows the Holt forecast of this gateway's resource use, step by step with its 95 %"
                + " prediction interval. (Forecasts of peer gateways will come with the instance manager.)")
public class ForecastCommand implements Action {

    @Argument(index = 0, name = "resource", required = false,
            description = "cpu, memory, storage or battery; all of this gateway's resources when omitted")
    @Completion(ResourceCompleter.class)
    String resource;

    @Reference
    ResourceHistory history;

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        List<ResourceKind> kinds;
        if (resource == null) {
            kinds = List.of(ResourceKind.values());
        } else {
            Optional<ResourceKind> kind = ResourceNames.parse(resource);
            if (kind.isEmpty()) {
                out.println("Unknown resource '" + resource + "': use one of " + String.join(", ", ResourceNames.all()));
                out.flush();
                return null;
            }
            kinds = List.of(kind.get());
        }
        Duration interval = history.interval();
        boolean first = true;
        for (ResourceKind kind : kinds) {
            double[] series = history.series(kind);
            if (series.length == 0 && resource == null) {
                continue; // e.g. no battery
            }
            if (!first) {
                out.println();
            }
            first = false;
            print(out, kind, series.length, interval, history.forecast(kind));
        }
        out.flush();
        return null;
    }

    private static void print(PrintStream out, ResourceKind kind, int samples, Duration interval, Forecast f) {
        String name = ResourceNames.name(kind);
        if (samples == 0 || f == null) {
            out.println(name + ": no samples yet; the first comes within " + interval.toSeconds() + " s");
            return;
        }
        out.printf(Locale.ROOT, "%s: Holt forecast from %d samples, one every %d s (alpha %.4f, beta %.4f,"
                + " SSE %.4g)%n", name, samples, interval.toSeconds(), f.alpha(), f.beta(), f.sse());
        out.println("level " + ResourceNames.amount(kind, f.level()) + ", trend "
                + ResourceNames.change(kind, f.trend()) + " per step");
        ShellTable table = new ShellTable();
        table.column("Step");
        table.column("Ahead");
        table.column("Forecast");
        table.column("Lower 95 %");
        table.column("Upper 95 %");
        for (int h = 0; h < f.horizon(); h++) {
            table.addRow().addContent(h + 1, ahead(interval.multipliedBy(h + 1L)),
                    ResourceNames.amount(kind, f.forecasts().get(h)), ResourceNames.amount(kind, f.lower().get(h)),
                    ResourceNames.amount(kind, f.upper().get(h)));
        }
        table.print(out);
    }

    static String ahead(Duration d) {
        long s = d.toSeconds();
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        return String.format(Locale.ROOT, "%.1f h", s / 3600.0);
    }
}
