package org.betaas.service.rest.internal;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.Set;

import org.betaas.api.apps.ServiceManager;
import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.BigDataStatus;
import org.betaas.api.bigdata.NodeRole;
import org.betaas.api.dependability.DependabilityManager;
import org.betaas.api.dependability.Incident;
import org.betaas.api.dependability.Watched;
import org.betaas.api.dependability.WatchedSubject;
import org.betaas.api.instance.GatewayIdentity;
import org.betaas.api.instance.GatewayStatus;
import org.betaas.api.instance.InstanceInfo;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.PeerGateway;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;

/**
 * Small in-memory fakes of the BETaaS services. They are dynamic proxies answering only the methods the API
 * calls, so that methods added to the interfaces later do not break these tests.
 */
final class FakeServices implements ServiceDirectory {

    static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");
    static final String THING_ID = "urn:dev:mac:0024befffe804ff1";
    static final VmTemplate TEMPLATE = new VmTemplate("service-test-x86_64", VmKind.SERVICE, 1, 96, 64,
            Set.of("x86_64"), "test.img", VmWeight.LIGHT);

    LocalGateway localGateway = proxy(LocalGateway.class, Map.of(
            "identity", a -> new GatewayIdentity("gw-test", "home", "0.1.0"),
            "configurationProblems", a -> List.of()));
    ResourceMonitor resourceMonitor = proxy(ResourceMonitor.class, Map.of("current",
            a -> new ResourceSnapshot(T0, 4, 0.25, 8L << 30, 2L << 30, 100L << 30, 40L << 30, OptionalDouble.empty())));
    List<VmDriver> drivers = new ArrayList<>(List.of(proxy(VmDriver.class, Map.of("name", a -> "libvirt",
            "status", a -> new DriverStatus(true, "qemu:///system", "QEMU 7.2.0")))));
    ThingRegistry thingRegistry;
    TemplateRegistry templateRegistry = proxy(TemplateRegistry.class, Map.of(
            "templates", a -> List.of(TEMPLATE),
            "find", a -> Optional.of(TEMPLATE).filter(t -> t.name().equals(a[0])),
            "problems", a -> List.of("broken.json: no kind")));
    final Map<String, VmInstance> vms = new LinkedHashMap<>();
    VmManager vmManager;
    final List<String> deployedOn = new ArrayList<>();
    TaasResourcesManager resourcesManager;
    ResourceHistory resourceHistory = proxy(ResourceHistory.class, Map.of(
            "interval", a -> Duration.ofSeconds(60),
            "series", a -> a[0] == ResourceKind.BATTERY ? new double[] {Double.NaN, Double.NaN}
                    : new double[] {0.1, Double.NaN, 0.3},
            "forecast", a -> new Forecast(0.5, 0.1, 0.02, 0.3, 0.01, List.of(0.31, 0.32), List.of(0.2, 0.15),
                    List.of(0.4, 0.5))));
    FakeCloud cloud = new FakeCloud();
    FakeApps apps = new FakeApps();
    ServiceManager serviceManager = apps;
    InstanceManager instanceManager = proxy(InstanceManager.class, Map.of(
            "info", a -> new InstanceInfo("home", "gw-test", InstanceInfo.MembershipState.JOINED, "joined",
                    "tcp://127.0.0.1:1883", "gw-test", true, 30000, 0.3, Map.of("accepted", 12L), List.of()),
            "gateways", a -> List.of(
                    new PeerGateway("gw-test", true, true, false, 1.0, T0.toEpochMilli(), 0, STATUS),
                    new PeerGateway("gw-peer", false, false, false, 0.42, 0, 3, null))));
    final List<Integer> incidentLimits = new ArrayList<>();
    DependabilityManager dependability = proxy(DependabilityManager.class, Map.of("incidents", a -> {
        incidentLimits.add((Integer) a[0]);
        return List.of(new Incident(7, T0, Incident.SubjectKind.VM, "vm-3", "FAILED", "resume", Incident.RECOVERED,
                1, T0.plusSeconds(5)));
    }, "watched", a -> new Watched(T0.plusSeconds(30), Set.of(Incident.SubjectKind.VM, Incident.SubjectKind.COMPONENT),
            List.of(new WatchedSubject(Incident.SubjectKind.COMPONENT, "org.betaas.taas.vm", "ACTIVE", true, false,
                            T0, T0.plusSeconds(30), null, 0, null),
                    new WatchedSubject(Incident.SubjectKind.VM, "vm-3", "CRASHED", true, true, T0.plusSeconds(20),
                            T0.plusSeconds(30), T0.plusSeconds(10), 1, T0.plusSeconds(34))))));

    /** Measurements the fake Big Data Manager holds; a thing the registry forgot still has history. */
    static final String OLD_THING = "urn:dev:retired-1";
    final List<Measurement> stored = new ArrayList<>(List.of(
            new Measurement(THING_ID, "", T0, "Cel", 20.0),
            new Measurement(THING_ID, "humidity", T0.plusSeconds(10), "%RH", 40.0),
            new Measurement(THING_ID, "", T0.plusSeconds(30), "Cel", 21.0),
            new Measurement(THING_ID, "", T0.plusSeconds(70), "Cel", 23.0),
            new Measurement(OLD_THING, "", T0, "Cel", 5.0)));
    /** The arguments of each Big Data query: method, thing, name, from, to, limit or bucket. */
    final List<List<Object>> bigDataCalls = new ArrayList<>();
    boolean bigDataDown;
    BigDataManager bigData = proxy(BigDataManager.class, Map.of(
            "measurements", a -> {
                bigDataCalls.add(List.of("measurements", a[0], a[1], a[2], a[3], a[4]));
                return inRange(a).limit((Integer) a[4]).toList();
            },
            "aggregates", a -> {
                bigDataCalls.add(List.of("aggregates", a[0], a[1], a[2], a[3], a[4]));
                long bucket = ((Duration) a[4]).toSeconds();
                Map<Long, List<Double>> buckets = new java.util.TreeMap<>();
                inRange(a).forEach(m -> buckets.computeIfAbsent(Math.floorDiv(m.time().getEpochSecond(), bucket),
                        k -> new ArrayList<>()).add((Double) m.value()));
                return buckets.entrySet().stream().map(e -> new Aggregate(Instant.ofEpochSecond(e.getKey() * bucket),
                        Instant.ofEpochSecond((e.getKey() + 1) * bucket), e.getValue().size(),
                        e.getValue().stream().mapToDouble(d -> d).min().getAsDouble(),
                        e.getValue().stream().mapToDouble(d -> d).max().getAsDouble(),
                        e.getValue().stream().mapToDouble(d -> d).average().getAsDouble())).toList();
            },
            "thingIds", a -> {
                bigDataCalls.add(List.of("thingIds"));
                return stored.stream().map(Measurement::thingId).distinct().toList();
            },
            "status", a -> new BigDataStatus("jdbc:postgresql://betaas:pg-S3cret@db.local:5432/betaas?password=pg-S3cret",
                    1234, 56789, Duration.ofDays(7), 0, 2.5, 1_000_000, 0, 0, 0.5, "bigdata-storage-x86_64",
                    "bigdata-compute-x86_64", List.of(new BigDataNode("vm-9", NodeRole.STORAGE,
                    "bigdata-storage-x86_64", "gw-test", T0, "rows 1000001 >= 1000000")), List.of())));

    private java.util.stream.Stream<Measurement> inRange(Object[] a) throws BigDataException {
        if (bigDataDown) {
            throw new BigDataException("Reading the measurements of " + a[0] + " failed in the Big Data database:"
                    + " connection refused");
        }
        @SuppressWarnings("unchecked")
        Optional<String> name = (Optional<String>) a[1];
        Instant from = (Instant) a[2];
        Instant to = (Instant) a[3];
        return stored.stream().filter(m -> m.thingId().equals(a[0]) && name.map(m.name()::equals).orElse(true)
                && !m.time().isBefore(from) && m.time().isBefore(to));
    }

    static final GatewayStatus STATUS = new GatewayStatus("gw-test", "0.1.0", true, "s-1",
            new GatewayStatus.Resources(4, 0.25, 8L << 30, 2L << 30, 100L << 30, 40L << 30, null),
            new GatewayStatus.Headroom(new GatewayStatus.Amount(8, 6144, 90000), new GatewayStatus.Amount(1, 96, 64),
                    new GatewayStatus.Amount(1, 1024, 100), new GatewayStatus.Amount(2, 2048, 200), true),
            List.of(new GatewayStatus.VmSummary("vm-1", "service-test-x86_64", "libvirt", "RUNNING", 1, 96,
                    T0.toEpochMilli())),
            new GatewayStatus.TrustInputs(null, null, 0), new GatewayStatus.Capabilities(true, "amd64",
                    List.of("libvirt")), false, Map.of(), List.of(), T0.toEpochMilli());

    FakeServices() {
        Thing thing = new Thing(THING_ID, ThingKind.SENSOR, "temperature", "Cel", "gw-test", "mqtt", T0, T0,
                "kitchen", Map.of());
        thingRegistry = proxy(ThingRegistry.class, Map.of(
                "things", a -> List.of(thing),
                "find", a -> Optional.of(thing).filter(t -> t.id().equals(a[0])),
                "lastValues", a -> List.of(new Measurement(THING_ID, "", T0, "Cel", 21.5))));
        vmManager = proxy(VmManager.class, Map.of(
                "list", a -> List.copyOf(vms.values()),
                "find", a -> Optional.ofNullable(vms.get((String) a[0])),
                "deploy", a -> {
                    deployedOn.add((String) a[1]);
                    return add("vm-" + (vms.size() + 1), (String) a[1]);
                },
                "stop", a -> state((String) a[0], VmState.STOPPED),
                "resume", a -> state((String) a[0], VmState.RUNNING),
                "destroy", a -> {
                    if (vms.get((String) a[0]).template().equals("refuses")) {
                        throw new VmException("libvirt refused: domain is locked; retry later");
                    }
                    return vms.remove((String) a[0]);
                }));
        resourcesManager = proxy(TaasResourcesManager.class, Map.of(
                "place", a -> new PlacementDecision.Local("gw-test", List.of("gw-test: 3.9 GiB free", "rule 1: local first")),
                "deploy", a -> {
                    deployedOn.add("placement");
                    return add("vm-" + (vms.size() + 1), "libvirt");
                }));
    }

    VmInstance add(String id, String driver) {
        VmInstance vm = new VmInstance(id, TEMPLATE.name(), driver, "gw-test", VmState.RUNNING, T0, 1, 96);
        vms.put(id, vm);
        return vm;
    }

    private Object state(String id, VmState state) {
        vms.computeIfPresent(id, (k, v) -> v.withState(state));
        return null;
    }

    /** A fake whose methods answer from {@code answers}; others throw. */
    @SuppressWarnings("unchecked")
    static <T> T proxy(Class<T> type, Map<String, ThrowingFunction> answers) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == args[0];
                    default -> type.getSimpleName() + " fake";
                };
            }
            ThrowingFunction answer = answers.get(m.getName());
            if (answer == null) {
                throw new UnsupportedOperationException(type.getSimpleName() + "." + m.getName());
            }
            return answer.apply(args == null ? new Object[0] : args);
        });
    }

    @FunctionalInterface
    interface ThrowingFunction {
        Object apply(Object[] args) throws Exception;
    }

    /** Removes every service: each endpoint should answer 503. */
    void uninstallAll() {
        localGateway = null;
        resourceMonitor = null;
        drivers.clear();
        thingRegistry = null;
        templateRegistry = null;
        vmManager = null;
        resourcesManager = null;
        resourceHistory = null;
        cloud = null;
        serviceManager = null;
        instanceManager = null;
        dependability = null;
        bigData = null;
    }

    static final class FakeCloud implements CloudStore {
        final Map<String, Object> stored = new HashMap<>(Map.of("authUrl", "", "maxVms", 4));

        @Override
        public Map<String, Object> read() {
            Map<String, Object> view = new LinkedHashMap<>(stored);
            view.remove("password");
            view.put("passwordSet", stored.containsKey("password"));
            return view;
        }

        @Override
        public void write(Map<String, Object> values) {
            stored.putAll(values);
        }
    }

    @Override public Optional<LocalGateway> localGateway() { return Optional.ofNullable(localGateway); }
    @Override public Optional<ResourceMonitor> resourceMonitor() { return Optional.ofNullable(resourceMonitor); }
    @Override public List<VmDriver> vmDrivers() { return List.copyOf(drivers); }
    @Override public Optional<ThingRegistry> thingRegistry() { return Optional.ofNullable(thingRegistry); }
    @Override public Optional<TemplateRegistry> templateRegistry() { return Optional.ofNullable(templateRegistry); }
    @Override public Optional<VmManager> vmManager() { return Optional.ofNullable(vmManager); }
    @Override public Optional<TaasResourcesManager> resourcesManager() { return Optional.ofNullable(resourcesManager); }
    @Override public Optional<ResourceHistory> resourceHistory() { return Optional.ofNullable(resourceHistory); }
    @Override public Optional<CloudStore> cloudStore() { return Optional.ofNullable(cloud); }
    @Override public Optional<ServiceManager> serviceManager() { return Optional.ofNullable(serviceManager); }
    @Override public Optional<InstanceManager> instanceManager() { return Optional.ofNullable(instanceManager); }
    @Override public Optional<DependabilityManager> dependabilityManager() { return Optional.ofNullable(dependability); }
    @Override public Optional<BigDataManager> bigDataManager() { return Optional.ofNullable(bigData); }
}
