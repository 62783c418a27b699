package org.betaas.service.manager.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import org.betaas.api.apps.App;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.AppException.Reason;
import org.betaas.api.apps.InstalledApp;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.things.AdaptorStats;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.SubscriberStats;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingKind;
import org.betaas.api.things.ThingRegistry;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.junit.After;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ServiceManagerCoreTest {

    static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    static final String TEMPERATURE_APP = "{\"name\":\"weather\",\"owner\":\"alice\","
            + "\"things\":[{\"type\":\"temperature\",\"unit\":\"Cel\"}]}";
    static final String HEATER_APP = "{\"name\":\"heating\",\"owner\":\"bob\","
            + "\"things\":[{\"type\":\"heater\",\"kind\":\"actuator\"}]}";
    private String webApp;

    static String webApp(String war) {
        return "{\"name\":\"portal\",\"owner\":\"carol\",\"things\":[{\"type\":\"temperature\"}],"
                + "\"webapp\":{\"war\":\"" + war + "\",\"template\":\"service-test-x86_64\"}}";
    }

    /** A minimal war: a zip with WEB-INF/web.xml. */
    static Path war(Path file) throws Exception {
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new java.util.zip.ZipEntry("WEB-INF/web.xml"));
            z.write("<web-app/>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new java.util.zip.ZipEntry("index.html"));
            z.write("<p>portal</p>".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return file;
    }

    /** Holds the store, the wars and the app files; deleted after each test (after {@link #tearDown}). */
    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();
    private final Fakes fakes = new Fakes();
    private Path dir;
    private ServiceManagerCore core;

    @Before
    public void setUp() throws Exception {
        dir = tmp.newFolder("apps").toPath();
        fakes.things.put("temp-1", new Thing("temp-1", ThingKind.SENSOR, "temperature", "Cel", "gw", "mqtt", NOW,
                NOW, "", Map.of()));
        fakes.things.put("heater-1", new Thing("heater-1", ThingKind.ACTUATOR, "heater", "", "gw", "mqtt", NOW,
                NOW, "", Map.of()));
        fakes.values.put("temp-1", List.of(new Measurement("temp-1", "temperature", NOW, "Cel", 21.5)));
        webApp = webApp(war(dir.resolve("portal.war")).toString());
        core = open();
    }

    private ServiceManagerCore open() throws Exception {
        return new ServiceManagerCore(new H2AppStore("jdbc:h2:file:" + dir.resolve("apps")), "", fakes,
                Clock.fixed(NOW, ZoneOffset.UTC), new RateMeter(Duration.ofMinutes(5)), dir.resolve("app-files"));
    }

    @After
    public void tearDown() {
        core.close();
    }

    @Test
    public void anAppReadsOnlyItsGrantedThingsWithItsToken() throws Exception {
        InstalledApp weather = core.install(TEMPERATURE_APP);
        InstalledApp heating = core.install(HEATER_APP);
        assertEquals(List.of("temp-1"), weather.app().granted());
        assertEquals(List.of("heater-1"), heating.app().granted());
        assertNotEquals(weather.token(), heating.token());
        assertFalse(weather.toString().contains(weather.token()));

        assertEquals("weather", core.authenticate(weather.token()));
        assertEquals(21.5, core.lastValues(weather.token(), "temp-1").get(0).value());
        assertEquals(List.of("temp-1"), core.things(weather.token()).stream().map(Thing::id).toList());
        expect(Reason.FORBIDDEN, "App 'heating' was not granted thing 'temp-1'",
                () -> core.lastValues(heating.token(), "temp-1"));
        expect(Reason.UNAUTHORIZED, "Unknown app token", () -> core.lastValues("forged", "temp-1"));
        expect(Reason.UNAUTHORIZED, "No app token given", () -> core.lastValues(" ", "temp-1"));
    }

    @Test
    public void actuatorsOnlyForAppsGrantedThem() throws Exception {
        InstalledApp weather = core.install(TEMPERATURE_APP);
        InstalledApp heating = core.install(HEATER_APP);
        core.actuate(heating.token(), "heater-1", "on");
        assertEquals(List.of("heater-1=on"), fakes.commands);
        expect(Reason.FORBIDDEN, "not granted", () -> core.actuate(weather.token(), "heater-1", "off"));
        expect(Reason.FORBIDDEN, "is a sensor", () -> core.actuate(weather.token(), "temp-1", "off"));
        fakes.adaptorUp = false;
        expect(Reason.UNAVAILABLE, "No mqtt adaptor", () -> core.actuate(heating.token(), "heater-1", "on"));
    }

    @Test
    public void newThingsAreGrantedWhenTheyAppear() throws Exception {
        InstalledApp weather = core.install(TEMPERATURE_APP);
        Thing t2 = new Thing("temp-2", ThingKind.SENSOR, "temperature", "Cel", "gw", "mqtt", NOW, NOW, "", Map.of());
        fakes.things.put("temp-2", t2);
        core.observed(t2, List.of());
        assertEquals(List.of("temp-1", "temp-2"), core.find("weather").orElseThrow().granted());
        // subscriptions deliver only granted things
        List<String> seen = new CopyOnWriteArrayList<>();
        Subscription s = core.subscribe(weather.token(), (thing, ms) -> seen.add(thing.id()));
        fakes.publish(t2);
        fakes.publish(fakes.things.get("heater-1"));
        assertEquals(List.of("temp-2"), seen);
        s.close();
        assertTrue(fakes.listeners.isEmpty());
    }

    @Test
    public void nameConflictsAndUnknownAppsAreRefused() throws Exception {
        core.install(TEMPERATURE_APP);
        expect(Reason.CONFLICT, "App 'weather' is already installed", () -> core.install(TEMPERATURE_APP));
        expect(Reason.NOT_FOUND, "No app 'nope' is installed", () -> core.uninstall("nope"));
        expect(Reason.INVALID, "'owner' is missing", () -> core.install("{\"name\":\"x\",\"things\":[]}"));
    }

    @Test
    public void appsAndTokensSurviveARestartAndUninstallForgetsTheToken() throws Exception {
        InstalledApp weather = core.install(TEMPERATURE_APP);
        core.close();
        core = open();
        assertEquals(List.of("weather"), core.list().stream().map(App::name).toList());
        assertEquals(List.of("temp-1"), core.find("weather").orElseThrow().granted());
        assertEquals("weather", core.authenticate(weather.token()));
        core.uninstall("weather");
        assertTrue(core.list().isEmpty());
        expect(Reason.UNAUTHORIZED, "Unknown app token", () -> core.authenticate(weather.token()));
        core.close();
        core = open();
        assertTrue(core.list().isEmpty());
    }

    @Test
    public void aWebAppGetsAServiceVmWhichUninstallDestroys() throws Exception {
        InstalledApp portal = core.install(webApp);
        assertEquals(List.of(new VmRequest("service-test-x86_64", "service-manager")), fakes.requests);
        Path copy = dir.resolve("app-files").resolve("portal").resolve("portal.war");
        assertEquals(List.of(copy), fakes.payloads);
        assertEquals(Files.size(dir.resolve("portal.war")), Files.size(copy));
        String vm = portal.app().vmId().orElseThrow();
        assertTrue(fakes.vms.containsKey(vm));
        core.uninstall("portal");
        assertFalse(fakes.vms.containsKey(vm));
        assertFalse(Files.exists(copy.getParent()));
    }

    @Test
    public void aServiceVmReplacedAfterAFailureIsTheOneShownAndDestroyed() throws Exception {
        InstalledApp portal = core.install(webApp);
        String first = portal.app().vmId().orElseThrow();
        // the Dependability Manager re-placed it: a new VM, recorded as its replacement, the old one destroyed
        String second = fakes.deploy(new VmRequest("service-test-x86_64", "dependability")).id();
        fakes.vmManager.replaced(first, second);
        fakes.vms.remove(first);
        assertEquals(Optional.of(second), core.find("portal").orElseThrow().vmId());
        core.uninstall("portal");
        assertFalse("the replacement is not left running", fakes.vms.containsKey(second));
    }

    @Test
    public void aWarGivenAsFileUrlIsAccepted() throws Exception {
        core.install(webApp(dir.resolve("portal.war").toUri().toString()));
        assertTrue(Files.exists(dir.resolve("app-files").resolve("portal").resolve("portal.war")));
    }

    @Test
    public void aMissingOrNonWarFileIsRefusedAndLeavesNothing() throws Exception {
        expect(Reason.INVALID, "webapp.war", () -> core.install(webApp(dir.resolve("nope.war").toString())));
        Path text = Files.writeString(dir.resolve("notes.war"), "not a zip");
        expect(Reason.INVALID, "not a zip", () -> core.install(webApp(text.toString())));
        Path jar = dir.resolve("lib.war");
        try (java.util.zip.ZipOutputStream z = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            z.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
            z.closeEntry();
        }
        expect(Reason.INVALID, "without a WEB-INF/", () -> core.install(webApp(jar.toString())));
        expect(Reason.INVALID, "not a local file", () -> core.install(webApp("https://example.org/a.war")));
        assertTrue(core.list().isEmpty());
        assertTrue(fakes.requests.isEmpty());
        assertFalse(Files.exists(dir.resolve("app-files").resolve("portal")));
    }

    @Test
    public void aFailedVmLeavesNothingInstalled() throws Exception {
        fakes.deployFails = true;
        expect(Reason.UNAVAILABLE, "could not be deployed: no capacity", () -> core.install(webApp));
        assertTrue(core.list().isEmpty());
        assertFalse(Files.exists(dir.resolve("app-files").resolve("portal")));
        fakes.deployFails = false;
        fakes.placementUp = false;
        expect(Reason.UNAVAILABLE, "no TaaS Resources Manager", () -> core.install(webApp));
        assertTrue(core.list().isEmpty());
    }

    @Test
    public void uninstallKeepsTheAppWhenItsVmCannotBeDestroyed() throws Exception {
        core.install(webApp);
        fakes.vmManagerUp = false;
        expect(Reason.UNAVAILABLE, "no VM Manager", () -> core.uninstall("portal"));
        assertEquals(1, core.list().size());
        fakes.vmManagerUp = true;
        core.uninstall("portal");
        assertTrue(core.list().isEmpty());
    }

    @Test
    public void withoutARegistryTheAppSaysSo() throws Exception {
        fakes.registryUp = false;
        InstalledApp weather = core.install(TEMPERATURE_APP);
        assertTrue(weather.app().granted().isEmpty());
        assertTrue(weather.app().problems().get(0), weather.app().problems().get(0).contains("no thing registry"));
    }

    @Test
    public void withoutAStoreInstallSaysWhy() throws Exception {
        core.close();
        core = new ServiceManagerCore(null, "the apps database x cannot be opened", fakes, Clock.systemUTC(),
                new RateMeter(Duration.ofMinutes(5)));
        expect(Reason.UNAVAILABLE, "cannot be opened", () -> core.install(TEMPERATURE_APP));
    }

    interface Call {
        void run() throws Exception;
    }

    private static void expect(Reason reason, String text, Call call) throws Exception {
        try {
            call.run();
            fail("expected " + reason);
        } catch (AppException e) {
            assertEquals(e.getMessage(), reason, e.reason());
            assertTrue(e.getMessage(), e.getMessage().contains(text));
        }
    }

    /** A registry, subscriptions, placement, VM Manager and MQTT adaptor in memory. */
    static final class Fakes implements Services, ThingRegistry, ThingSubscriptions, TaasResourcesManager,
            ThingAdaptor {

        final Map<String, Thing> things = new ConcurrentHashMap<>();
        final Map<String, List<Measurement>> values = new ConcurrentHashMap<>();
        final List<MeasurementListener> listeners = new CopyOnWriteArrayList<>();
        final List<VmRequest> requests = new ArrayList<>();
        final List<Path> payloads = new ArrayList<>();
        final Map<String, VmInstance> vms = new ConcurrentHashMap<>();
        final List<String> commands = new ArrayList<>();
        volatile boolean registryUp = true;
        volatile boolean placementUp = true;
        volatile boolean vmManagerUp = true;
        volatile boolean adaptorUp = true;
        volatile boolean deployFails;
        private int next;

        void publish(Thing t) {
            listeners.forEach(l -> l.onMeasurements(t, List.of()));
        }

        @Override
        public Optional<ThingRegistry> registry() {
            return registryUp ? Optional.of(this) : Optional.empty();
        }

        @Override
        public Optional<ThingSubscriptions> subscriptions() {
            return Optional.of(this);
        }

        @Override
        public Optional<TaasResourcesManager> placement() {
            return placementUp ? Optional.of(this) : Optional.empty();
        }

        @Override
        public Optional<VmManager> vms() {
            return vmManagerUp ? Optional.of(vmManager) : Optional.empty();
        }

        @Override
        public Optional<ThingAdaptor> adaptor(String protocol) {
            return adaptorUp && protocol.equals("mqtt") ? Optional.of(this) : Optional.empty();
        }

        @Override
        public List<Thing> things() {
            return new ArrayList<>(things.values());
        }

        @Override
        public Optional<Thing> find(String thingId) {
            return Optional.ofNullable(things.get(thingId));
        }

        @Override
        public List<Measurement> lastValues(String thingId) {
            return values.getOrDefault(thingId, List.of());
        }

        @Override
        public void report(Thing thing, List<Measurement> measurements) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void lost(String thingId, String reason) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Subscription subscribe(String subscriber, ThingFilter filter, int queueCapacity,
                                      MeasurementListener listener) {
            listeners.add(listener);
            return new Subscription() {
                @Override
                public String subscriber() {
                    return subscriber;
                }

                @Override
                public SubscriberStats stats() {
                    return new SubscriberStats(subscriber, 0, 0, 0, queueCapacity, 0);
                }

                @Override
                public void close() {
                    listeners.remove(listener);
                }
            };
        }

        @Override
        public List<SubscriberStats> subscriberStats() {
            return List.of();
        }

        @Override
        public PlacementDecision place(VmRequest request) {
            throw new UnsupportedOperationException();
        }

        @Override
        public synchronized VmInstance deploy(VmRequest request, Path payload) throws VmException {
            VmInstance vm = deploy(request);
            payloads.add(payload);
            return vm;
        }

        @Override
        public synchronized VmInstance deploy(VmRequest request) throws VmException {
            if (deployFails) {
                throw new VmException("no capacity");
            }
            requests.add(request);
            VmInstance vm = new VmInstance("vm-" + (++next), request.template(), "libvirt", "gw", VmState.RUNNING,
                    NOW, 1, 96);
            vms.put(vm.id(), vm);
            return vm;
        }

        final VmManager vmManager = new VmManager() {
            @Override
            public VmInstance deploy(VmRequest request, String driver) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<VmInstance> list() {
                return new ArrayList<>(vms.values());
            }

            @Override
            public Optional<VmInstance> find(String vmId) {
                return Optional.ofNullable(vms.get(vmId));
            }

            @Override
            public void stop(String vmId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void resume(String vmId) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void destroy(String vmId) throws VmException {
                if (vms.remove(vmId) == null) {
                    throw new VmException("no VM " + vmId);
                }
            }

            @Override
            public void replaced(String oldId, String newId) {
                replacements.put(oldId, newId);
            }

            @Override
            public String current(String vmId) {
                String id = vmId;
                while (replacements.containsKey(id)) {
                    id = replacements.get(id);
                }
                return id;
            }
        };

        /** Re-placements as the VM Manager records them for the Dependability Manager: old id → new id. */
        final Map<String, String> replacements = new ConcurrentHashMap<>();

        @Override
        public String protocol() {
            return "mqtt";
        }

        @Override
        public AdaptorStats stats() {
            return new AdaptorStats("mqtt", "fake", 0, 0, Map.of(), 0);
        }

        @Override
        public void actuate(String thingId, String command) {
            commands.add(thingId + "=" + command);
        }
    }
}
