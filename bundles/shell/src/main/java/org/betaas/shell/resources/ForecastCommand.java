package org.betaas.shell.resources;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
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
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.shell.Units;

@Service
@Command(scope = "betaas", name = "forecast",
        description = "Shows the Holt forecast of a gateway's resource use: for this gateway step by step with its"
                + " 95 % prediction interval from the live history; for a peer the forecast peak, upper bound and"
                + " predicted free resources its last status carries.")
public class ForecastCommand implements Action {

    @Argument(index = 0, name = "gateway", required = false,
            description = "a gateway of the instance (this one when omitted); a resource name alone means this"
                    + " gateway's resource")
    @Completion(GatewayOrResourceCompleter.class)
    String gateway;

    @Argument(index = 1, name = "resource", required = false,
            description = "cpu, memory, storage or battery; all of the gateway's resources when omitted")
    @Completion(ResourceCompleter.class)
    String resource;

    @Reference
    ResourceHistory history;

    @Reference(optional = true)
    LocalGateway local;

    @Reference(optional = true)
    InstanceManager instance;

    /**
     * What the arguments name: {@code gateway} null for this gateway, else the peer; or a one-line error.
     *
     * @param first  the first argument: a gateway id, or a resource of this gateway when it is alone
     * @param second the resource, when a gateway is given first
     */
    record Target(String gateway, List<ResourceKind> kinds, String error) {

        static Target resolve(String first, String second, String selfId, List<String> peerIds) {
            if (first == null) {
                return new Target(null, List.of(ResourceKind.values()), null);
            }
            String id = first.trim();
            boolean self = id.equals(selfId);
            boolean peer = !self && peerIds.contains(id);
            if (second == null && !self && !peer) {
                Optional<ResourceKind> kind = ResourceNames.parse(id);
                if (kind.isPresent()) {
                    return new Target(null, List.of(kind.get()), null);
                }
                return error("Unknown resource '" + first + "': use one of " + String.join(", ", ResourceNames.all())
                        + ", or a gateway of the instance first: " + gateways(selfId, peerIds));
            }
            if (!self && !peer) {
                return error("Unknown gateway '" + first + "': use one of " + gateways(selfId, peerIds)
                        + " (betaas:gateway-list shows the instance)");
            }
            List<ResourceKind> kinds = List.of(ResourceKind.values());
            if (second != null) {
                Optional<ResourceKind> kind = ResourceNames.parse(second);
                if (kind.isEmpty()) {
                    return error("Unknown resource '" + second + "': use one of "
                            + String.join(", ", ResourceNames.all()));
                }
                kinds = List.of(kind.get());
            }
            return new Target(self ? null : id, kinds, null);
        }

        private static Target error(String message) {
            return new Target(null, List.of(), message);
        }

        private static String gateways(String selfId, List<String> peerIds) {
            List<String> all = new ArrayList<>();
            if (selfId != null) {
                all.add(selfId);
            }
            all.addAll(peerIds);
            return all.isEmpty() ? "(none known)" : String.join(", ", all);
        }
    }

    @Override
    public Object execute() throws Exception {
        PrintStream out = System.out;
        String selfId = local == null ? null : local.identity().gatewayId();
        List<PeerGateway> peers = instance == null ? List.of()
                : instance.gateways().stream().filter(g -> !g.self() && !g.dismissed()).toList();
        Target target = Target.resolve(gateway, resource, selfId, peers.stream().map(PeerGateway::gatewayId).toList());
        if (target.error() != null) {
            out.println(target.error());
            out.flush();
            return null;
        }
        if (target.gateway() != null) {
            PeerGateway peer = peers.stream().filter(p -> p.gatewayId().equals(target.gateway())).findFirst()
                    .orElseThrow();
            out.print(PeerForecastText.of(peer, target.kinds()));
            out.flush();
            return null;
        }
        List<ResourceKind> kinds = target.kinds();
        boolean all = kinds.size() > 1;
        Duration interval = history.interval();
        boolean first = true;
        for (ResourceKind kind : kinds) {
            double[] series = history.series(kind);
            if (series.length == 0 && all) {
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
        out.printf(Locale.ROOT, "%s: Holt forecast from %s, one every %d s (alpha %.4f, beta %.4f,"
                + " SSE %.4g)%n", name, Units.count(samples, "sample"), interval.toSeconds(), f.alpha(), f.beta(),
                f.sse());
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
