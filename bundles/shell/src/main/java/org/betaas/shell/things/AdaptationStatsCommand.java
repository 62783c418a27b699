package org.betaas.shell.things;

import java.io.PrintStream;
import java.util.List;
import java.util.Map;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.things.AdaptorStats;
import org.betaas.api.things.BrokerStats;
import org.betaas.api.things.EmbeddedMqttBroker;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.shell.Units;

@Service
@Command(scope = "betaas", name = "adaptation-stats",
        description = "Shows what each adaptor received, accepted and rejected (by reason), and what each subscriber dropped")
public class AdaptationStatsCommand implements Action {

    @Reference
    ThingRegistry registry;

    @Reference
    ThingSubscriptions subscriptions;

    @Reference(optional = true)
    List<ThingAdaptor> adaptors;

    @Reference(optional = true)
    EmbeddedMqttBroker broker;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        out.println("Things      " + registry.things().size());
        if (adaptors == null || adaptors.isEmpty()) {
            out.println("No adaptor running (feature:install betaas-adaptation).");
        } else {
            for (ThingAdaptor a : adaptors) {
                AdaptorStats s = a.stats();
                out.println();
                out.println("Adaptor     " + s.protocol());
                out.println("Connection  " + s.connection());
                out.println("Received    " + s.received());
                out.println("Accepted    " + s.accepted() + " (" + s.measurements() + " measurements)");
                out.println("Rejected    " + s.rejectedTotal());
                for (Map.Entry<String, Long> r : s.rejected().entrySet()) {
                    out.println("  " + r.getKey() + ": " + r.getValue());
                }
            }
        }
        if (broker != null) {
            printBroker(out, broker.stats());
        }
        List<SubscriberStats> subscribers = subscriptions.subscriberStats();
        out.println();
        if (subscribers.isEmpty()) {
            out.println("No subscriber.");
        } else {
            ShellTable table = new ShellTable();
            table.column("Subscriber");
            table.column("Delivered");
            table.column("Dropped");
            table.column("Queued");
            table.column("Capacity");
            table.column("Failures");
            for (SubscriberStats s : subscribers) {
                table.addRow().addContent(s.subscriber(), s.delivered(), s.dropped(), s.queued(), s.capacity(),
                        s.failures());
            }
            table.print(out);
        }
        out.flush();
        return null;
    }

    /** The embedded broker, and the persistent sessions whose client is away, with what waits for them. */
    private static void printBroker(PrintStream out, BrokerStats b) {
        out.println();
        out.println("Embedded broker  " + b.state());
        out.println("Clients          " + b.connectedClients() + " connected, " + b.offlineSessions().size()
                + " persistent session(s) away" + (b.restarts() == 0 ? "" : ", restarted " + b.restarts()
                + " time(s) after a fault (see the log)"));
        b.offlineSessions().forEach((client, bytes) -> out.println("  " + client + ": "
                + (bytes < 0 ? "kept in memory only" : Units.bytes(bytes) + " waiting for it")));
    }
}
