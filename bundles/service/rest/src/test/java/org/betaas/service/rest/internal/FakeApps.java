package org.betaas.service.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.betaas.api.apps.App;
import org.betaas.api.apps.AppException;
import org.betaas.api.apps.AppException.Reason;
import org.betaas.api.apps.AppManifest;
import org.betaas.api.apps.InstalledApp;
import org.betaas.api.apps.ServiceManager;
import org.betaas.api.apps.ThingNeed;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.MeasurementListener;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingKind;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * An in-memory Service Manager with the real one's rules: a manifest needs a name and things; a need of type
 * {@code temperature} is granted the sensor, {@code lamp} the actuator, {@code ghost} a thing the gateway no longer
 * knows; tokens are {@code token-<name>-<n>}; an app reads only what it was granted.
 */
final class FakeApps implements ServiceManager {

    static final String LAMP = "urn:dev:lamp-1";
    static final String GHOST = "urn:dev:gone";

    static final Thing SENSOR = new Thing(FakeServices.THING_ID, ThingKind.SENSOR, "temperature", "Cel", "gw-test",
            "mqtt", FakeServices.T0, FakeServices.T0, "kitchen", Map.of());
    static final Thing ACTUATOR = new Thing(LAMP, ThingKind.ACTUATOR, "lamp", "", "gw-test", "mqtt",
            FakeServices.T0, FakeServices.T0, "kitchen", Map.of());

    private final ObjectMapper json = new ObjectMapper();
    final Map<String, App> apps = new LinkedHashMap<>();
    final Map<String, String> appByToken = new LinkedHashMap<>();
    final List<String> commands = new ArrayList<>();
    boolean databaseDown;
    private int tokens;

    @Override
    public InstalledApp install(String manifestJson) throws AppException {
        JsonNode m;
        try {
            m = json.readTree(manifestJson);
        } catch (Exception e) {
            throw new AppException(Reason.INVALID, "Invalid manifest: not JSON (" + e.getClass().getSimpleName() + ")");
        }
        if (m == null || !m.path("name").isTextual() || m.path("name").asText().isBlank()) {
            throw new AppException(Reason.INVALID, "Invalid manifest: 'name' is missing: give the app a name");
        }
        String name = m.get("name").asText();
        if (apps.containsKey(name)) {
            throw new AppException(Reason.CONFLICT, "App '" + name + "' is already installed: uninstall it first");
        }
        if (databaseDown) {
            throw new AppException(Reason.UNAVAILABLE, "Cannot install app '" + name + "': the apps database is down");
        }
        List<ThingNeed> needs = new ArrayList<>();
        List<String> granted = new ArrayList<>();
        for (JsonNode need : m.path("things")) {
            String type = need.path("type").asText();
            needs.add(new ThingNeed(type, Optional.empty(), Optional.empty(),
                    "lamp".equals(type) ? ThingKind.ACTUATOR : ThingKind.SENSOR, java.util.OptionalDouble.empty(),
                    Optional.empty(), false));
            switch (type) {
                case "temperature" -> granted.add(FakeServices.THING_ID);
                case "lamp" -> granted.add(LAMP);
                case "ghost" -> granted.add(GHOST);
                default -> { }
            }
        }
        App app = new App(new AppManifest(name, m.path("owner").asText(), needs, Optional.empty()),
                FakeServices.T0, granted.stream().sorted().toList(), Optional.empty(),
                granted.isEmpty() ? List.of("no matching thing yet") : List.of());
        apps.put(name, app);
        String token = "token-" + name + "-" + (++tokens);
        appByToken.put(token, name);
        return new InstalledApp(app, token);
    }

    @Override
    public List<App> list() {
        return List.copyOf(apps.values());
    }

    @Override
    public Optional<App> find(String name) {
        return Optional.ofNullable(apps.get(name));
    }

    @Override
    public void uninstall(String name) throws AppException {
        if (apps.remove(name) == null) {
            throw new AppException(Reason.NOT_FOUND, "No app '" + name + "' is installed");
        }
        appByToken.values().removeIf(name::equals);
    }

    @Override
    public List<Thing> grantedThings(String name) throws AppException {
        App app = find(name).orElseThrow(() -> new AppException(Reason.NOT_FOUND, "No app '" + name + "'"));
        return known(app.granted());
    }

    private static List<Thing> known(List<String> ids) {
        List<Thing> things = new ArrayList<>();
        for (String id : ids) {
            if (id.equals(SENSOR.id())) {
                things.add(SENSOR);
            } else if (id.equals(ACTUATOR.id())) {
                things.add(ACTUATOR);
            }
        }
        return things;
    }

    @Override
    public String authenticate(String token) throws AppException {
        String app = token == null ? null : appByToken.get(token);
        if (app == null) {
            throw new AppException(Reason.UNAUTHORIZED, "Unknown app token: send the token shown when the app was"
                    + " installed");
        }
        return app;
    }

    private App authorize(String token, String thingId) throws AppException {
        App app = apps.get(authenticate(token));
        if (!app.granted().contains(thingId)) {
            throw new AppException(Reason.FORBIDDEN, "App '" + app.name() + "' was not granted thing '" + thingId
                    + "'");
        }
        return app;
    }

    @Override
    public List<Thing> things(String token) throws AppException {
        return known(apps.get(authenticate(token)).granted());
    }

    @Override
    public List<Measurement> lastValues(String token, String thingId) throws AppException {
        authorize(token, thingId);
        return thingId.equals(FakeServices.THING_ID)
                ? List.of(new Measurement(thingId, "", FakeServices.T0, "Cel", 21.5)) : List.of();
    }

    @Override
    public Subscription subscribe(String token, MeasurementListener listener) {
        throw new UnsupportedOperationException("subscribe");
    }

    @Override
    public void actuate(String token, String thingId, String command) throws AppException {
        authorize(token, thingId);
        if (thingId.equals(GHOST)) {
            throw new AppException(Reason.NOT_FOUND, "Thing '" + thingId + "' is not known to this gateway any more");
        }
        if (!thingId.equals(LAMP)) {
            throw new AppException(Reason.FORBIDDEN, "Thing '" + thingId + "' is a sensor: only actuators take commands");
        }
        commands.add(thingId + " " + command);
    }
}
