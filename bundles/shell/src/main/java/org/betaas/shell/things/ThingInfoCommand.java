package org.betaas.shell.things;

import java.io.PrintStream;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingRegistry;

@Service
@Command(scope = "betaas", name = "thing-info", description = "Shows a thing's metadata and last values")
public class ThingInfoCommand implements Action {

    @Reference
    ThingRegistry registry;

    @Argument(index = 0, name = "id", description = "The thing id (see betaas:thing-list)", required = true)
    @Completion(ThingIdCompleter.class)
    String id;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        Optional<Thing> found = registry.find(id);
        if (found.isEmpty()) {
            out.println("No thing '" + id + "': see betaas:thing-list for the known ids.");
            out.flush();
            return null;
        }
        Thing t = found.get();
        Instant now = Instant.now();
        out.println("Id          " + t.id());
        out.println("Kind        " + t.kind().name().toLowerCase());
        out.println("Type        " + t.type() + (t.unit().isEmpty() ? "" : " (" + t.unit() + ")"));
        out.println("Gateway     " + t.gatewayId());
        out.println("Protocol    " + t.protocol());
        out.println("First seen  " + t.firstSeen() + " (" + Values.ago(t.firstSeen(), now) + ")");
        out.println("Last seen   " + t.lastSeen() + " (" + Values.ago(t.lastSeen(), now) + ")");
        out.println("Location    " + (t.location().isEmpty() ? "unknown" : t.location()));
        if (t.metadata().containsKey("lost")) {
            out.println("State       LOST: " + t.metadata().get("lost"));
        }
        for (Map.Entry<String, String> e : new java.util.TreeMap<>(t.metadata()).entrySet()) {
            if (!e.getKey().equals("lost")) {
                out.println("  " + e.getKey() + " = " + e.getValue());
            }
        }
        ShellTable values = new ShellTable();
        values.column("Name");
        values.column("Value");
        values.column("Time");
        for (Measurement m : registry.lastValues(t.id())) {
            values.addRow().addContent(m.name().isEmpty() ? "(value)" : m.name(), Values.value(m),
                    m.time() + " (" + Values.ago(m.time(), now) + ")");
        }
        out.println();
        values.print(out);
        out.flush();
        return null;
    }
}
