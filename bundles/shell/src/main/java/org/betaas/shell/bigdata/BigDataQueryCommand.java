package org.betaas.shell.bigdata;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.bigdata.DurationText;
import org.betaas.api.things.Measurement;
import org.betaas.shell.things.ThingIdCompleter;

@Service
@Command(scope = "betaas", name = "bigdata-query",
        description = "Shows a thing's stored measurements over the last period, or their count/min/max/mean per bucket")
public class BigDataQueryCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Reference(optional = true)
    BigDataManager bigData;

    @Argument(index = 0, name = "thing", required = true, description = "The thing's id (see betaas:thing-list)")
    @Completion(ThingIdCompleter.class)
    String thingId;

    @Option(name = "--since", description = "How far back: 30s, 15m, 6h, 7d (lower-case unit) or an ISO-8601"
            + " duration such as PT1H (default 15m)")
    String since = "15m";

    @Option(name = "--bucket", description = "Aggregate per bucket of this length (e.g. 1m, PT5M) instead of listing"
            + " values")
    String bucket;

    @Option(name = "--name", description = "Only this SenML name of the thing")
    String name;

    @Option(name = "--limit", aliases = "-n", description = "At most this many values (default 50)")
    int limit = 50;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        try {
            run(out);
        } catch (BigDataException e) {
            out.println(e.getMessage());
        }
        out.flush();
        return null;
    }

    private void run(PrintStream out) throws BigDataException {
        if (bigData == null) {
            out.println("The Big Data Manager is not running: install the betaas-bigdata feature"
                    + " (feature:install betaas-bigdata)");
            return;
        }
        Optional<Duration> back = duration(out, "--since", since);
        if (back.isEmpty()) {
            return;
        }
        Instant to = Instant.now();
        Instant from = to.minus(back.get());
        Optional<String> only = Optional.ofNullable(name);
        if (bucket != null) {
            Optional<Duration> width = duration(out, "--bucket", bucket);
            if (width.isEmpty()) {
                return;
            }
            List<Aggregate> buckets = bigData.aggregates(thingId, only, from, to, width.get());
            if (buckets.isEmpty()) {
                out.println("No numeric values of " + thingId + " since " + TIME.format(from) + ".");
                return;
            }
            ShellTable table = new ShellTable();
            table.column("From");
            table.column("Count").alignRight();
            table.column("Min").alignRight();
            table.column("Max").alignRight();
            table.column("Mean").alignRight();
            for (Aggregate a : buckets) {
                table.addRow().addContent(TIME.format(a.from()), a.count(), number(a.min()), number(a.max()),
                        number(a.mean()));
            }
            table.print(out);
            return;
        }
        List<Measurement> values = bigData.measurements(thingId, only, from, to, limit);
        if (values.isEmpty()) {
            out.println("No stored measurements of " + thingId + " since " + TIME.format(from)
                    + " (betaas:bigdata-info shows what is stored).");
            return;
        }
        ShellTable table = new ShellTable();
        table.column("Time");
        table.column("Name");
        table.column("Value").alignRight();
        table.column("Unit");
        for (Measurement m : values) {
            table.addRow().addContent(TIME.format(m.time()), m.name(), m.value() instanceof Double d ? number(d)
                    : String.valueOf(m.value()), m.unit());
        }
        table.print(out);
        Aggregate a = bigData.aggregate(thingId, only, from, to);
        if (a.count() > 0) {
            out.println(a.count() + " numeric values: min " + number(a.min()) + ", max " + number(a.max())
                    + ", mean " + number(a.mean()));
        }
    }

    private static String number(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    /** The duration {@code text} of {@code option}, or empty after printing a one-line message naming both. */
    static Optional<Duration> duration(PrintStream out, String option, String text) {
        try {
            return Optional.of(DurationText.parse(text));
        } catch (IllegalArgumentException e) {
            out.println(option + " " + e.getMessage());
            return Optional.empty();
        }
    }
}
