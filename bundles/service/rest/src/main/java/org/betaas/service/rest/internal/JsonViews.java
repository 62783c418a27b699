package org.betaas.service.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.betaas.api.apps.App;
import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.ThingNeed;
import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.BigDataStatus;
import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Watched;
import org.betaas.api.dependability.WatchedSubject;
import org.betaas.api.instance.GatewayIdentity;
import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.InstanceInfo;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmTemplate;

/**
 * The JSON shape of every API value, as ordered maps: instants as ISO-8601 strings, NaN as {@code null}
 * (JSON has no NaN), enums by name. Keeping it explicit keeps the API stable when records gain components.
 */
final class JsonViews {

    private JsonViews() {
    }

    static Map<String, Object> identity(GatewayIdentity id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gatewayId", id.gatewayId());
        m.put("instanceId", id.instanceId());
        m.put("version", id.version());
        return m;
    }

    static Map<String, Object> snapshot(ResourceSnapshot s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("takenAt", time(s.takenAt()));
        m.put("cpuCores", s.cpuCores());
        m.put("cpuLoad", number(s.cpuLoad()));
        m.put("memoryTotal", s.memoryTotal());
        m.put("memoryUsed", s.memoryUsed());
        m.put("storageTotal", s.storageTotal());
        m.put("storageUsed", s.storageUsed());
        m.put("batteryPercent", s.batteryPercent().isPresent() ? number(s.batteryPercent().getAsDouble()) : null);
        return m;
    }

    static Map<String, Object> driver(String name, DriverStatus status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("reachable", status.reachable());
        m.put("endpoint", status.endpoint());
        m.put("detail", status.detail());
        return m;
    }

    static Map<String, Object> thing(Thing t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("kind", t.kind().name());
        m.put("type", t.type());
        m.put("unit", t.unit());
        m.put("gatewayId", t.gatewayId());
        m.put("protocol", t.protocol());
        m.put("firstSeen", time(t.firstSeen()));
        m.put("lastSeen", time(t.lastSeen()));
        m.put("location", t.location());
        m.put("metadata", t.metadata());
        return m;
    }

    static Map<String, Object> measurement(Measurement v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", v.name());
        m.put("time", time(v.time()));
        m.put("unit", v.unit());
        m.put("value", v.value() instanceof Double d ? number(d) : v.value());
        return m;
    }

    static Map<String, Object> template(VmTemplate t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("kind", t.kind().name());
        m.put("vcpus", t.vcpus());
        m.put("memoryMiB", t.memoryMiB());
        m.put("diskMiB", t.diskMiB());
        m.put("architectures", t.architectures().stream().sorted().toList());
        m.put("image", t.image());
        m.put("weight", t.weight().name());
        return m;
    }

    static Map<String, Object> vm(VmInstance v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("template", v.template());
        m.put("driver", v.driver());
        m.put("location", v.location());
        m.put("state", v.state().name());
        m.put("createdAt", time(v.createdAt()));
        m.put("vcpus", v.vcpus());
        m.put("memoryMiB", v.memoryMiB());
        return m;
    }

    static Map<String, Object> placement(String template, PlacementDecision d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("template", template);
        // Java 17: no pattern matching in switch yet
        if (d instanceof PlacementDecision.Local l) {
            m.put("decision", "local");
            m.put("target", l.gatewayId());
        } else if (d instanceof PlacementDecision.Remote r) {
            m.put("decision", "remote");
            m.put("target", r.cloud());
        } else if (d instanceof PlacementDecision.Rejected r) {
            m.put("decision", "rejected");
            m.put("target", null);
            m.put("reason", r.reason());
        }
        m.put("reasons", d.reasons());
        return m;
    }

    static Map<String, Object> forecast(Forecast f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("alpha", number(f.alpha()));
        m.put("beta", number(f.beta()));
        m.put("sse", number(f.sse()));
        m.put("level", number(f.level()));
        m.put("trend", number(f.trend()));
        m.put("forecasts", numbers(f.forecasts()));
        m.put("lower", numbers(f.lower()));
        m.put("upper", numbers(f.upper()));
        return m;
    }

    /** An installed app: its manifest, grants, service VM and problems (never its token). */
    static Map<String, Object> app(App a) {
        AppManifest manifest = a.manifest();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", a.name());
        m.put("owner", manifest.owner());
        m.put("installedAt", time(a.installedAt()));
        m.put("needs", manifest.things().stream().map(JsonViews::need).toList());
        m.put("webapp", manifest.webApp().map(w -> {
            Map<String, Object> web = new LinkedHashMap<>();
            web.put("war", w.war());
            web.put("template", w.template());
            return (Object) web;
        }).orElse(null));
        m.put("granted", a.granted());
        m.put("vmId", a.vmId().orElse(null));
        m.put("problems", a.problems());
        return m;
    }

    static Map<String, Object> need(ThingNeed n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("type", n.type());
        m.put("unit", n.unit().orElse(null));
        m.put("location", n.location().orElse(null));
        m.put("kind", n.kind().name());
        m.put("minRatePerMinute", n.minRate().isPresent() ? number(n.minRate().getAsDouble()) : null);
        m.put("maxAgeSeconds", n.maxAge().map(d -> (Object) d.toSeconds()).orElse(null));
        m.put("exclusive", n.exclusive());
        return m;
    }

    static Map<String, Object> incident(Incident i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("time", time(i.time()));
        m.put("kind", i.kind().name());
        m.put("subject", i.subject());
        m.put("what", i.what());
        m.put("action", i.action());
        m.put("outcome", i.outcome());
        m.put("attempts", i.attempts());
        m.put("updated", time(i.updated()));
        return m;
    }

    /** Count, min, max and mean of one range (min, max and mean null when it holds no numeric value). */
    static Map<String, Object> aggregate(Aggregate a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("from", time(a.from()));
        m.put("to", time(a.to()));
        m.put("count", a.count());
        m.put("min", number(a.min()));
        m.put("max", number(a.max()));
        m.put("mean", number(a.mean()));
        return m;
    }

    /** The Big Data Manager's status; the database URL loses any credentials it may carry. */
    static Map<String, Object> bigData(BigDataStatus s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("database", withoutCredentials(s.database()));
        m.put("rows", s.rows());
        m.put("bytes", s.bytes());
        m.put("retention", s.retention().isZero() ? null : s.retention().toString());
        m.put("retentionSeconds", s.retention().toSeconds());
        m.put("maxRows", s.maxRows());
        m.put("queriesPerMinute", number(s.queriesPerMinute()));
        Map<String, Object> thresholds = new LinkedHashMap<>();
        thresholds.put("storageRowsHigh", s.storageRowsHigh());
        thresholds.put("storageBytesHigh", s.storageBytesHigh());
        thresholds.put("queriesPerMinuteHigh", number(s.queriesHigh()));
        thresholds.put("releaseFraction", number(s.releaseFraction()));
        m.put("thresholds", thresholds);
        m.put("storageTemplate", s.storageTemplate());
        m.put("computeTemplate", s.computeTemplate());
        m.put("nodes", s.nodes().stream().map(JsonViews::bigDataNode).toList());
        m.put("problems", s.problems());
        return m;
    }

    static Map<String, Object> bigDataNode(BigDataNode n) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vmId", n.vmId());
        m.put("role", n.role().name());
        m.put("template", n.template());
        m.put("location", n.location());
        m.put("since", time(n.since()));
        m.put("reason", n.reason());
        return m;
    }

    /** A JDBC URL without user information or password/user parameters (it should carry none: belt and braces). */
    static String withoutCredentials(String url) {
        if (url == null) {
            return null;
        }
        return url.replaceAll("//[^/@?;]*@", "//")
                .replaceAll("(?i)([?&;])(password|pwd|user|username)=[^&;]*", "$1$2=***");
    }

    /** What the Dependability Manager watches and the last state it saw of each subject. */
    static Map<String, Object> watched(Watched w) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("polled", time(w.polled()));
        m.put("kinds", w.kinds().stream().map(Enum::name).sorted().toList());
        m.put("failing", w.subjects().stream().filter(WatchedSubject::failing).count());
        m.put("recovering", w.subjects().stream().filter(s -> s.nextAttempt() != null).map(WatchedSubject::name)
                .toList());
        m.put("subjects", w.subjects().stream().map(JsonViews::watchedSubject).toList());
        return m;
    }

    static Map<String, Object> watchedSubject(WatchedSubject s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", s.kind().name());
        m.put("name", s.name());
        m.put("state", s.state());
        m.put("seenHealthy", s.seenHealthy());
        m.put("failing", s.failing());
        m.put("since", time(s.since()));
        m.put("seen", time(s.seen()));
        m.put("lastProgress", time(s.lastProgress()));
        m.put("attempts", s.attempts());
        m.put("nextAttempt", time(s.nextAttempt()));
        return m;
    }

    /** This gateway's membership of its instance (the instance key is never shown, only whether one is set). */
    static Map<String, Object> instance(InstanceInfo info) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("instanceId", info.instanceId());
        m.put("gatewayId", info.gatewayId());
        m.put("state", info.state().name());
        m.put("detail", info.detail());
        m.put("brokerUrl", info.brokerUrl());
        m.put("brokerUser", info.brokerUser());
        m.put("keyConfigured", info.keyConfigured());
        m.put("keepAliveMillis", info.keepAliveMillis());
        m.put("trustThreshold", number(info.trustThreshold()));
        m.put("counters", info.counters());
        m.put("problems", info.problems());
        return m;
    }

    /** A gateway of the instance as this one sees it live: online, trust, and its last status when it sent one. */
    static Map<String, Object> peer(PeerGateway p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gatewayId", p.gatewayId());
        m.put("self", p.self());
        m.put("online", p.online());
        m.put("dismissed", p.dismissed());
        m.put("trust", number(p.trust()));
        m.put("lastSeen", p.lastSeen() <= 0 ? null : time(Instant.ofEpochMilli(p.lastSeen())));
        m.put("missedHeartbeats", p.missedHeartbeats());
        GatewayStatus s = p.status();
        m.put("version", s == null ? null : s.version());
        m.put("resources", s == null || s.resources() == null ? null : resources(s.resources()));
        m.put("headroom", s == null || s.headroom() == null ? null : headroom(s.headroom()));
        m.put("vms", s == null ? List.of() : s.vms().stream().map(JsonViews::vmSummary).toList());
        m.put("capabilities", s == null || s.capabilities() == null ? null : capabilities(s.capabilities()));
        m.put("cloudAccess", s != null && s.cloudAccess());
        m.put("statusTime", s == null || s.timestamp() <= 0 ? null : time(Instant.ofEpochMilli(s.timestamp())));
        return m;
    }

    private static Map<String, Object> resources(GatewayStatus.Resources r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("cpuCores", r.cpuCores());
        m.put("cpuLoad", number(r.cpuLoad()));
        m.put("memoryTotal", r.memoryTotal());
        m.put("memoryUsed", r.memoryUsed());
        m.put("storageTotal", r.storageTotal());
        m.put("storageUsed", r.storageUsed());
        m.put("batteryPercent", r.batteryPercent() == null ? null : number(r.batteryPercent()));
        return m;
    }

    private static Map<String, Object> headroom(GatewayStatus.Headroom h) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("capacity", amount(h.capacity()));
        m.put("reserved", amount(h.reserved()));
        m.put("forecast", amount(h.forecast()));
        m.put("forecastUpper", amount(h.forecastUpper()));
        m.put("available", h.capacity() == null || h.reserved() == null || h.forecastUpper() == null ? null
                : amount(h.available()));
        m.put("forecastBased", h.forecastBased());
        return m;
    }

    private static Map<String, Object> amount(GatewayStatus.Amount a) {
        if (a == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("vcpus", number(a.vcpus()));
        m.put("memoryMiB", number(a.memoryMiB()));
        m.put("storageMiB", number(a.storageMiB()));
        return m;
    }

    private static Map<String, Object> vmSummary(GatewayStatus.VmSummary v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.id());
        m.put("template", v.template());
        m.put("driver", v.driver());
        m.put("state", v.state());
        m.put("vcpus", v.vcpus());
        m.put("memoryMiB", v.memoryMiB());
        m.put("createdAt", v.createdAt() <= 0 ? null : time(Instant.ofEpochMilli(v.createdAt())));
        return m;
    }

    private static Map<String, Object> capabilities(GatewayStatus.Capabilities c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("virtualization", c.virtualization());
        m.put("architecture", c.architecture());
        m.put("drivers", c.drivers());
        return m;
    }

    static List<Double> numbers(double[] values) {
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(number(v));
        }
        return out;
    }

    static List<Double> numbers(List<Double> values) {
        List<Double> out = new ArrayList<>(values.size());
        for (Double v : values) {
            out.add(v == null ? null : number(v));
        }
        return out;
    }

    /** A finite number, or {@code null} for NaN and infinities. */
    static Double number(double v) {
        return Double.isFinite(v) ? v : null;
    }

    static String time(Instant t) {
        return t == null ? null : t.toString();
    }
}
