package org.betaas.shell.cloud;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;

import org.betaas.api.cloud.CloudSettings;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

public class CloudCommandsTest {

    private static final String SECRET = "s3cret-pw!";

    private final PrintStream stdout = System.out;
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Hashtable<String, Object> stored;
    private int updates;
    private ConfigurationAdmin configAdmin;

    @Before
    public void setUp() {
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        stored = new Hashtable<>(Map.of("authUrl", "https://cloud.example.org:5000/v3", "user", "betaas",
                "password", SECRET, "project", "demo", "maxVms", 4, "idleSeconds", "3600"));
        Configuration configuration = proxy(Configuration.class, (name, args) -> switch (name) {
            case "getProperties" -> new Hashtable<>(stored);
            case "update" -> {
                @SuppressWarnings("unchecked")
                Dictionary<String, Object> next = (Dictionary<String, Object>) args[0];
                stored = new Hashtable<>();
                for (var keys = next.keys(); keys.hasMoreElements(); ) {
                    String key = keys.nextElement();
                    stored.put(key, next.get(key));
                }
                updates++;
                yield null;
            }
            default -> throw new UnsupportedOperationException(name);
        });
        configAdmin = proxy(ConfigurationAdmin.class, (name, args) -> {
            assertEquals(CloudSettings.PID, args[0]);
            return configuration;
        });
    }

    @After
    public void restore() {
        System.setOut(stdout);
    }

    @FunctionalInterface
    interface Answer {
        Object apply(String method, Object[] args);
    }

    @SuppressWarnings("unchecked")
    private static <T> T proxy(Class<T> type, Answer answer) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> answer.apply(m.getName(), args));
    }

    private String printed() {
        String text = printed.toString(StandardCharsets.UTF_8);
        printed.reset();
        return text;
    }

    private CloudConfigureCommand configure() {
        CloudConfigureCommand c = new CloudConfigureCommand();
        c.configAdmin = configAdmin;
        return c;
    }

    @Test
    public void infoShowsEverythingButThePassword() throws Exception {
        CloudInfoCommand info = new CloudInfoCommand();
        info.configAdmin = configAdmin;
        info.context = proxy(BundleContext.class, (name, args) -> null); // no driver, no VM Manager
        info.execute();
        String out = printed();
        assertTrue(out, out.contains("https://cloud.example.org:5000/v3"));
        assertTrue(out, out.contains("demo") && out.contains("betaas"));
        assertTrue(out, out.matches("(?s).*VM limit\\s+4.*"));
        assertTrue(out, out.contains("Password    set (never shown)"));
        assertTrue(out, out.contains("OpenStack VM driver is not running"));
        assertFalse(out, out.contains(SECRET));
    }

    @Test
    public void aNonNumericVmLimitIsOneLineAndChangesNothing() throws Exception {
        Hashtable<String, Object> before = new Hashtable<>(stored);
        CloudConfigureCommand c = configure();
        c.user = "other";
        c.maxVms = "many";
        c.execute();
        String out = printed();
        assertEquals(out, 1, out.lines().count());
        assertTrue(out, out.startsWith("Cannot configure the cloud: --max-vms must be a whole number"));
        assertEquals(0, updates);
        assertEquals(before, stored);
    }

    @Test
    public void aBadUrlIsOneLineNamingTheOption() throws Exception {
        CloudConfigureCommand c = configure();
        c.endpoint = "ftp://cloud/v3";
        c.execute();
        String out = printed();
        assertEquals(out, 1, out.lines().count());
        assertTrue(out, out.contains("--endpoint 'ftp://cloud/v3' is not an http(s) URL"));
        assertEquals(0, updates);
    }

    @Test
    public void nothingToChangeSaysWhichOptionsExist() throws Exception {
        configure().execute();
        String out = printed();
        assertTrue(out, out.contains("nothing to change") && out.contains("--endpoint"));
        assertEquals(0, updates);
    }

    @Test
    public void valuesAndAPasswordFileAreSavedKeepingOtherKeys() throws Exception {
        Path file = Files.createTempFile("cloud", ".pw");
        try {
            Files.writeString(file, "n3w-pass\n", StandardCharsets.UTF_8);
            CloudConfigureCommand c = configure();
            c.endpoint = "http://127.0.0.1:5000/v3";
            c.maxVms = "2";
            c.provider = "OpenStack";
            c.passwordFile = file.toString();
            c.execute();
            String out = printed();
            assertEquals(1, updates);
            assertEquals("n3w-pass", stored.get("password"));
            assertEquals(2, stored.get("maxVms"));
            assertEquals("openstack", stored.get("provider"));
            assertEquals("3600", stored.get("idleSeconds"));
            assertEquals("demo", stored.get("project"));
            assertTrue(out, out.contains("password changed"));
            assertFalse(out, out.contains("n3w-pass"));
            assertFalse(out, out.contains(SECRET));
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Test
    public void thePasswordIsAskedWithAMaskAndNeverPrinted() throws Exception {
        java.util.List<Object> masks = new java.util.ArrayList<>();
        CloudConfigureCommand c = configure();
        c.session = proxy(org.apache.karaf.shell.api.console.Session.class, (name, args) -> {
            assertEquals("readLine", name);
            masks.add(args[1]);
            return "typed-pw";
        });
        c.askPassword = true;
        c.execute();
        String out = printed();
        assertEquals(java.util.List.of('*'), masks);
        assertEquals("typed-pw", stored.get("password"));
        assertFalse(out, out.contains("typed-pw"));
        assertTrue(out, out.contains("password changed"));
        c.passwordFile = "/some/file";
        c.execute();
        assertTrue(printed().contains("not both"));
        assertEquals(1, updates);
    }

    @Test
    public void aMissingOrEmptyPasswordFileChangesNothing() throws Exception {
        CloudConfigureCommand c = configure();
        c.user = "x";
        c.passwordFile = "/nonexistent/pw";
        c.execute();
        assertTrue(printed().contains("--password-file '/nonexistent/pw' does not exist"));
        Path empty = Files.createTempFile("cloud", ".pw");
        try {
            c.passwordFile = empty.toString();
            c.execute();
            assertTrue(printed().contains("is empty"));
        } finally {
            Files.deleteIfExists(empty);
        }
        assertEquals(0, updates);
        assertEquals(SECRET, stored.get("password"));
    }
}
