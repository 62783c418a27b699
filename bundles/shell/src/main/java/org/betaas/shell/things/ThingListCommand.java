package org.betaas.shell.things;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingRegistry;

@Service
@Command(scope = "betaas", name = "thing-list", description = "Lists the things this gateway knows, with their last values")
public class ThingListCommand implements Action {

    @Reference
    ThingRegistry registry;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        List<Thing> things = registry.things();
        if (things.isEmpty()) {
            out.println("No thing yet: point sensors at the MQTT broker (topic betaas/things/<id>/senml) or enable"
                    + " the simulator (etc/org.betaas.simulator.cfg).");
            out.flush();
            return null;
        }
        Instant now = Instant.now();
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Kind");
        table.column("Type");
        table.column("Protocol");
        table.column("Last seen");
        table.column("Last values");
        for (Thing t : things) {
            String seen = Values.ago(t.lastSeen(), now);
            if (t.metadata().containsKey("lost")) {
                seen += " (lost)";
            }
            table.addRow().addContent(t.id(), t.kind().name().toLowerCase(), t.type(), t.protocol(), seen,
                    Values.summary(registry.lastValues(t.id())));
        }
        table.print(out);
        out.flush();
        return null;
    }
}
