package org.betaas.service.rest.internal;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.betaas.api.instance.GatewayIdentity;
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
