package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import javax.inject.Inject;

import org.betaas.api.apps.AppException;
import org.betaas.api.apps.ServiceManager;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Thing;
import org.betaas.api.vm.VmManager;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Applications on the distribution's simulated temperature things: installed from a manifest with
 * betaas:app-install, granted the simulator's things, reading their last values with their token; another app's
 * token cannot read them; uninstall revokes the token.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class AppsIT extends BetaasTestSupport {

    private static final String BROKER_PORT = freePort();
    private static final Pattern TOKEN = Pattern.compile("Token\\s+(\\S+)");

    @Inject
    private ServiceManager apps;

    @Inject
    private VmManager vms;

    @Override
    protected Option[] extraOptions() {
        String url = "tcp://127.0.0.1:" + BROKER_PORT;
        return new Option[] {
            // a port of its own, so that this class never meets another broker
            editConfigurationFilePut("etc/org.betaas.broker.cfg", "port", BROKER_PORT),
            editConfigurationFilePut("etc/org.betaas.mqtt.cfg", "broker.url", url),
            editConfigurationFilePut("etc/org.betaas.simulator.cfg", "broker.url", url),
            editConfigurationFilePut("etc/org.betaas.simulator.cfg", "interval.ms", "500"),
            // the service VM of a web application: the tiny test guest on the host's libvirtd (as in VmManagerIT)
            editConfigurationFilePut("etc/org.betaas.vm.templates.cfg", "folder", templatesFolder()),
            editConfigurationFilePut("etc/org.betaas.vm.libvirt.cfg", "uri", "qemu:///system"),
            editConfigurationFilePut("etc/org.betaas.vm.libvirt.cfg", "domainType", "qemu"),
            editConfigurationFilePut("etc/org.betaas.vm.libvirt.cfg", "consoleDir", consoleFolder()),
            editConfigurationFilePut("etc/system.properties", "betaas.it.consoles", consoleFolder()),
        };
    }

    /** The repository's vm-templates/, where the test guests are built (the distribution ships no guests). */
    private static String templatesFolder() {
        return new File("../vm-templates").getAbsoluteFile().toPath().normalize().toString();
    }

    /** Computed where the options are built (the build's itests/), read in the container through a property. */
    private static String consoleFolder() {
        return System.getProperty("betaas.it.consoles",
                new File("target/vm-consoles").getAbsoluteFile().toPath().normalize().toString());
    }

    private String install(String manifest) throws Exception {
        Path file = Files.createTempFile("manifest", ".json");
        try {
            Files.writeString(file, manifest, StandardCharsets.UTF_8);
            String out = executeCommand("betaas:app-install " + file);
            assertTrue(out, out.contains("Keep this token now: it is shown only once"));
            Matcher m = TOKEN.matcher(out);
            assertTrue(out, m.find());
            return m.group(1);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private void awaitSimulatedThings() {
        awaitTrue("the simulator's temperature things", () -> {
            String out = executeCommand("betaas:thing-list");
            return out.contains("sim-ambient-1") && out.contains("sim-machine-1");
        });
    }

    @Test
    public void anAppReadsTheSimulatedTemperaturesAndNoOtherAppCan() throws Exception {
        awaitSimulatedThings();
        String weather = install("{\"name\": \"weather\", \"owner\": \"itest\","
                + " \"things\": [{\"type\": \"temperature\", \"unit\": \"Cel\", \"maxAgeSeconds\": 60}]}");
        String other = install("{\"name\": \"lights\", \"owner\": \"itest\","
                + " \"things\": [{\"type\": \"illuminance\"}]}");

        List<String> granted = apps.things(weather).stream().map(Thing::id).toList();
        assertTrue(granted.toString(), granted.contains("sim-ambient-1") && granted.contains("sim-machine-1"));
        awaitTrue("a last value of sim-ambient-1 for the app", () -> {
            try {
                return !apps.lastValues(weather, "sim-ambient-1").isEmpty();
            } catch (AppException e) {
                throw new AssertionError(e.getMessage(), e);
            }
        });
        Measurement m = apps.lastValues(weather, "sim-ambient-1").get(0);
        assertEquals("Cel", m.unit());
        assertTrue(String.valueOf(m.value()), m.value() instanceof Double);

        assertTrue(apps.things(other).isEmpty());
        try {
            apps.lastValues(other, "sim-ambient-1");
            fail("the second app read the first app's thing");
        } catch (AppException e) {
            assertEquals(AppException.Reason.FORBIDDEN, e.reason());
        }

        String list = executeCommand("betaas:app-list");
        assertTrue(list, list.contains("weather") && list.contains("lights"));
        assertTrue(list, list.contains("sim-ambient-1"));
        assertTrue(list, list.contains("no matching thing yet"));
        assertFalse("a token leaked into app-list", list.contains(weather));

        assertTrue(executeCommand("betaas:app-uninstall weather").contains("Uninstalled app weather"));
        assertTrue(executeCommand("betaas:app-uninstall lights").contains("Uninstalled app lights"));
        try {
            apps.lastValues(weather, "sim-ambient-1");
            fail("an uninstalled app's token still reads");
        } catch (AppException e) {
            assertEquals(AppException.Reason.UNAUTHORIZED, e.reason());
        }
    }

    @Test
    public void aWrongManifestIsRefusedWithTheField() throws Exception {
        Path file = Files.createTempFile("manifest", ".json");
        try {
            Files.writeString(file, "{\"name\": \"x\", \"owner\": \"o\", \"things\": [{\"type\": \"t\","
                    + " \"minRatePerMinute\": 0}]}", StandardCharsets.UTF_8);
            String out = executeCommand("betaas:app-install " + file);
            assertTrue(out, out.contains("'things[0].minRatePerMinute' is 0"));
            assertFalse(out, out.contains("Token"));
        } finally {
            Files.deleteIfExists(file);
        }
        String out = executeCommand("betaas:app-install /nonexistent/manifest.json");
        assertTrue(out, out.contains("does not exist"));
        out = executeCommand("betaas:app-uninstall nope");
        assertTrue(out, out.contains("No app 'nope' is installed"));
    }

    private static String webApp(String war) {
        return "{\"name\": \"portal\", \"owner\": \"itest\", \"things\": [{\"type\": \"temperature\"}],"
                + " \"webapp\": {\"war\": \"" + war + "\", \"template\": \"service-test-x86_64\"}}";
    }

    /** A small real war: WEB-INF/web.xml and a page. */
    private static Path war(Path file) throws Exception {
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(file))) {
            z.putNextEntry(new ZipEntry("WEB-INF/web.xml"));
            z.write(("<web-app xmlns=\"https://jakarta.ee/xml/ns/jakartaee\" version=\"5.0\">"
                    + "<display-name>portal</display-name></web-app>\n").getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
            z.putNextEntry(new ZipEntry("index.html"));
            z.write(("<html><body>BETaaS portal " + System.nanoTime() + "</body></html>\n")
                    .getBytes(StandardCharsets.UTF_8));
            z.closeEntry();
        }
        return file;
    }

    private static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p, StandardCharsets.ISO_8859_1) : "";
        } catch (java.io.IOException e) {
            return "";
        }
    }

    @Test
    public void aWebAppGetsAServiceVmThatUninstallDestroys() throws Exception {
        Path dir = Files.createTempDirectory("portal");
        Path war = war(dir.resolve("portal.war"));
        byte[] bytes = Files.readAllBytes(war);
        String sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        try {
            install(webApp(war.toString()));
        } finally {
            Files.delete(war);
            Files.delete(dir);
        }
        String vmId = apps.find("portal").orElseThrow().vmId().orElseThrow();
        try {
            checkWebApp(vmId, bytes.length, sha256);
        } finally {
            if (apps.find("portal").isPresent()) {
                apps.uninstall("portal");
            }
        }
    }

    private void checkWebApp(String vmId, int size, String sha256) throws Exception {
        assertTrue("VM " + vmId + " is not known to the VM Manager", vms.find(vmId).isPresent());
        assertEquals("service-test-x86_64", vms.find(vmId).orElseThrow().template());
        Path copy = Paths.get(System.getProperty("karaf.data"), "betaas", "apps", "portal", "portal.war");
        assertTrue(copy + " is missing", Files.exists(copy));
        // the guest reads the war from QEMU's fw_cfg and prints its size and digest on the serial console
        Path console = Paths.get(consoleFolder(), "betaas-" + vmId + ".console.log");
        awaitTrue("the guest's ready marker on " + console, () -> read(console).contains("BETAAS-GUEST-READY"));
        String seen = read(console);
        assertTrue(seen, seen.contains("BETAAS-GUEST-APP bytes=" + size + " sha256=" + sha256));
        String list = executeCommand("betaas:app-list");
        assertTrue(list, list.contains(vmId));
        String out = executeCommand("betaas:app-uninstall portal");
        assertTrue(out, out.contains("Uninstalled app portal"));
        assertFalse("VM " + vmId + " survived the uninstall", vms.find(vmId).isPresent());
        assertTrue(apps.find("portal").isEmpty());
        assertFalse(copy.getParent() + " survived the uninstall", Files.exists(copy.getParent()));
    }

    @Test
    public void aMissingOrNonWarFileIsRefusedNamingWebappWar() throws Exception {
        Path dir = Files.createTempDirectory("notawar");
        Path text = Files.writeString(dir.resolve("notes.war"), "not a web application");
        try {
            for (String war : List.of(dir.resolve("missing.war").toString(), text.toString())) {
                Path file = dir.resolve("manifest.json");
                Files.writeString(file, webApp(war), StandardCharsets.UTF_8);
                String out = executeCommand("betaas:app-install " + file);
                assertTrue(out, out.contains("webapp.war"));
                assertFalse(out, out.contains("Token"));
                assertTrue(apps.find("portal").isEmpty());
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
        }
        assertFalse(Files.exists(Paths.get(System.getProperty("karaf.data"), "betaas", "apps", "portal")));
    }

    private static final Pattern JSON_TOKEN = Pattern.compile("\"token\":\"([^\"]+)\"");

    private static String token(String installed) {
        Matcher m = JSON_TOKEN.matcher(installed);
        assertTrue(installed, m.find());
        return m.group(1);
    }

    @Test
    public void anAppInstalledOverTheRestApiReadsTheSimulatedTemperaturesWithItsToken() throws Exception {
        awaitSimulatedThings();
        RestClient rest = new RestClient(httpPort());
        rest.awaitUp();
        String climate = RestClient.bearer(token(rest.expect(201, "POST", "/apps", RestClient.ADMIN,
                "{\"name\": \"climate\", \"owner\": \"itest\", \"things\": [{\"type\": \"temperature\", \"unit\": \"Cel\"}]}")));
        String doors = RestClient.bearer(token(rest.expect(201, "POST", "/apps", RestClient.ADMIN,
                "{\"name\": \"doors\", \"owner\": \"itest\", \"things\": [{\"type\": \"door\"}]}")));
        try {
            String things = rest.expect(200, "GET", "/app/things", climate, null);
            assertTrue(things, things.contains("\"id\":\"sim-ambient-1\"") && things.contains("\"id\":\"sim-machine-1\""));
            awaitTrue("sim-ambient-1's last value through GET /app/things/sim-ambient-1", () -> {
                try {
                    return rest.expect(200, "GET", "/app/things/sim-ambient-1", climate, null)
                            .matches("(?s).*\"lastValues\":\\[\\{.*\"unit\":\"Cel\",\"value\":-?[0-9.]+.*");
                } catch (Exception e) {
                    throw new AssertionError(e.getMessage(), e);
                }
            });
            // the other app's token cannot read them, nor can user credentials
            assertEquals("[]", rest.expect(200, "GET", "/app/things", doors, null));
            assertTrue(rest.expect(403, "GET", "/app/things/sim-ambient-1", doors, null).contains("sim-ambient-1"));
            rest.expect(401, "GET", "/app/things/sim-ambient-1", RestClient.ADMIN, null);
            // the token of an app never opens the administration
            rest.expect(401, "GET", "/apps", climate, null);
            assertFalse(rest.expect(200, "GET", "/apps", RestClient.ADMIN, null).contains(climate.substring(7)));
        } finally {
            rest.expect(200, "DELETE", "/apps/climate", RestClient.ADMIN, null);
            rest.expect(200, "DELETE", "/apps/doors", RestClient.ADMIN, null);
        }
        rest.expect(401, "GET", "/app/things/sim-ambient-1", climate, null);
        rest.expect(404, "DELETE", "/apps/climate", RestClient.ADMIN, null);
    }
}
