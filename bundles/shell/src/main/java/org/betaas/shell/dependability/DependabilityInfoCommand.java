package org.betaas.shell.dependability;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.stream.Collectors;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident.SubjectKind;
import org.betaas.api.dependability.Watched;
import org.betaas.api.dependability.WatchedSubject;

@Service
@Command(scope = "betaas", name = "dependability-info",
        description = "Shows what the Dependability Manager watches: the last state it saw of every BETaaS "
                + "component, bundle, VM and peer, since when, and the recoveries under way")
public class DependabilityInfoCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    @Reference(optional = true)
    DependabilityManager dependability;

    @Option(name = "--kind", aliases = "-k", description = "Only subjects of this kind: component, bundle, vm or peer")
    @Completion(value = StringsCompleter.class, values = {"component", "bundle", "vm", "peer"})
    String kind;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        SubjectKind only = null;
        if (kind != null) {
            try {
                only = SubjectKind.valueOf(kind.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                out.println("--kind " + kind + " is not a kind of subject: use component, bundle, vm or peer");
                out.flush();
                return null;
            }
        }
        if (dependability == null) {
            out.println("The Dependability Manager is not running: install the betaas-service feature "
                    + "(feature:install betaas-service)");
            out.flush();
            return null;
        }
        Watched w = dependability.watched();
        Instant now = Instant.now();
        if (w.polled() == null) {
            out.println("The Dependability Manager has not looked yet (it looks every pollSeconds, "
                    + "etc/org.betaas.dependability.cfg).");
            out.flush();
            return null;
        }
        out.println("Last look  " + TIME.format(w.polled()) + " (" + age(w.polled(), now) + " ago)");
        out.println("Watching   " + (w.kinds().isEmpty() ? "nothing (see etc/org.betaas.dependability.cfg)"
                : w.kinds().stream().sorted().map(k -> k.name().toLowerCase(Locale.ROOT) + "s")
                .collect(Collectors.joining(", "))));
        ShellTable table = new ShellTable();
        table.column("Subject");
        table.column("State");
        table.column("Since").alignRight();
        table.column("Watched");
        table.column("Heartbeat").alignRight();
        table.column("Recovery").maxSize(40).wrap();
        int rows = 0;
        for (WatchedSubject s : w.subjects()) {
            if (only != null && s.kind() != only) {
                continue;
            }
            rows++;
            table.addRow().addContent(s.kind().name().toLowerCase(Locale.ROOT) + " " + s.name(), s.state(),
                    age(s.since(), now) + " ago",
                    s.seenHealthy() ? "yes" : "not yet seen healthy",
                    s.kind() == SubjectKind.VM ? (s.lastProgress() == null ? "-" : age(s.lastProgress(), now) + " ago")
                            : "",
                    recovery(s, now));
        }
        if (rows == 0) {
            out.println("No " + (only == null ? "subjects" : only.name().toLowerCase(Locale.ROOT) + "s") + " seen.");
        } else {
            table.print(out);
        }
        out.flush();
        return null;
    }

    private static String recovery(WatchedSubject s, Instant now) {
        if (!s.failing()) {
            return "";
        }
        if (s.nextAttempt() == null) {
            return s.attempts() == 0 ? "failing (noted)" : "failing, " + s.attempts() + " attempts made, no more";
        }
        return "failing, " + s.attempts() + " attempts made, next in " + age(now, s.nextAttempt());
    }

    private static String age(Instant from, Instant to) {
        long s = Math.max(0, Duration.between(from, to).toSeconds());
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return s / 60 + " min";
        }
        return s / 3600 + " h";
    }
}
