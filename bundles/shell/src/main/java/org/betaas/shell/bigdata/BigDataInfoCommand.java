package org.betaas.shell.bigdata;

import java.io.PrintStream;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.BigDataStatus;
import org.betaas.shell.Units;

@Service
@Command(scope = "betaas", name = "bigdata-info",
        description = "Shows the Big Data Manager: database, rows and bytes stored, retention, query load, the"
                + " thresholds that ask for storage and compute nodes, and the nodes held")
public class BigDataInfoCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneId.systemDefault());

    // optional: a missing service would delay every command of this bundle
    @Reference(optional = true)
    BigDataManager bigData;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        if (bigData == null) {
            out.println("The Big Data Manager is not running: install the betaas-bigdata feature"
                    + " (feature:install betaas-bigdata)");
            out.flush();
            return null;
        }
        BigDataStatus s = bigData.status();
        out.println("Database        " + s.database());
        out.println("Rows            " + (s.rows() < 0 ? "unknown" : Long.toString(s.rows())));
        out.println("Bytes           " + (s.bytes() < 0 ? "unknown" : Units.bytes(s.bytes())));
        out.println("Retention       " + (s.retention().isZero() ? "any age" : "at most " + Units.duration(
                s.retention()) + " old") + ", " + (s.maxRows() == 0 ? "any number of rows"
                : "at most " + s.maxRows() + " rows"));
        out.println("Queries/min     " + String.format(Locale.ROOT, "%.0f", s.queriesPerMinute()));
        out.println("Storage node    from " + (s.storageRowsHigh() == 0 ? "(rows off)" : s.storageRowsHigh() + " rows")
                + " or " + (s.storageBytesHigh() == 0 ? "(bytes off)" : Units.bytes(s.storageBytesHigh()))
                + ", template " + s.storageTemplate());
        out.println("Compute node    from " + (s.queriesHigh() == 0 ? "(off)"
                : String.format(Locale.ROOT, "%.0f queries/min", s.queriesHigh())) + ", template "
                + s.computeTemplate());
        out.println("Release below   " + String.format(Locale.ROOT, "%.0f%%", s.releaseFraction() * 100)
                + " of the threshold that asked for a node");
        for (String problem : s.problems()) {
            out.println("Problem: " + problem);
        }
        out.println();
        if (s.nodes().isEmpty()) {
            out.println("Nodes held: none");
        } else {
            ShellTable table = new ShellTable();
            table.column("VM");
            table.column("Role");
            table.column("Template");
            table.column("Location");
            table.column("Since");
            table.column("Reason").maxSize(60).wrap();
            for (BigDataNode n : s.nodes()) {
                table.addRow().addContent(n.vmId(), n.role().name().toLowerCase(Locale.ROOT), n.template(),
                        n.location(), TIME.format(n.since()), n.reason());
            }
            table.print(out);
        }
        out.flush();
        return null;
    }
}
