package org.betaas.shell.dependability;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident;

@Service
@Command(scope = "betaas", name = "incidents",
        description = "Lists the Dependability Manager's incidents: failures of components, bundles, VMs and peers, "
                + "what was done and the outcome (newest first)")
public class IncidentsCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    // optional: a missing service would delay every command of this bundle
    @Reference(optional = true)
    DependabilityManager dependability;

    @Option(name = "--limit", aliases = "-n", description = "At most this many incidents (default 20)")
    int limit = 20;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        if (limit < 1) {
            out.println("--limit " + limit + " is not a positive number: give how many incidents to show, e.g. --limit 20");
            out.flush();
            return null;
        }
        if (dependability == null) {
            out.println("The Dependability Manager is not running: install the betaas-service feature "
                    + "(feature:install betaas-service)");
            out.flush();
            return null;
        }
        List<Incident> incidents = dependability.incidents(limit);
        if (incidents.isEmpty()) {
            out.println("No incidents.");
            out.flush();
            return null;
        }
        ShellTable table = new ShellTable();
        table.column("Id").alignRight();
        table.column("Time");
        table.column("Subject");
        table.column("What").maxSize(40).wrap();
        table.column("Action").maxSize(40).wrap();
        table.column("Attempts").alignRight();
        table.column("Outcome").maxSize(50).wrap();
        for (Incident i : incidents) {
            table.addRow().addContent(i.id(), TIME.format(i.time()),
                    i.kind().name().toLowerCase() + " " + i.subject(), i.what(), i.action(), i.attempts(),
                    i.outcome());
        }
        table.print(out);
        out.flush();
        return null;
    }
}
