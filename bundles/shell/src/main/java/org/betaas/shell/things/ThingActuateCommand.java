package org.betaas.shell.things;

import java.io.PrintStream;
import java.util.List;
import java.util.Optional;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingRegistry;

@Service
@Command(scope = "betaas", name = "thing-actuate", description = "Sends a command (number, true/false or text) to a thing")
public class ThingActuateCommand implements Action {

    @Reference
    ThingRegistry registry;

    @Reference(optional = true)
    List<ThingAdaptor> adaptors;

    @Argument(index = 0, name = "id", description = "The thing id (see betaas:thing-list)", required = true)
    @Completion(ThingIdCompleter.class)
    String id;

    @Argument(index = 1, name = "value", description = "The command: a number, true/false or text", required = true)
    String value;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        Optional<Thing> thing = registry.find(id);
        if (thing.isEmpty()) {
            out.println("No thing '" + id + "': see betaas:thing-list for the known ids.");
        } else {
            Optional<ThingAdaptor> adaptor = (adaptors == null ? List.<ThingAdaptor>of() : adaptors).stream()
                    .filter(a -> a.protocol().equals(thing.get().protocol())).findFirst();
            if (adaptor.isEmpty()) {
                out.println("Thing '" + id + "' came over " + thing.get().protocol() + " and no " + thing.get().protocol()
                        + " adaptor is running: install its feature (e.g. feature:install betaas-adaptation).");
            } else {
                try {
                    adaptor.get().actuate(id, value);
                    out.println("Sent '" + value + "' to " + id + " over " + adaptor.get().protocol() + ".");
                } catch (IllegalStateException | UnsupportedOperationException e) {
                    out.println("Could not send '" + value + "' to " + id + ": " + e.getMessage());
                }
            }
        }
        out.flush();
        return null;
    }
}
