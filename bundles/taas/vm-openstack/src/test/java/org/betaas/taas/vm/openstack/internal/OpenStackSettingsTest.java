package org.betaas.taas.vm.openstack.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.Map;

import org.betaas.api.vm.DriverStatus;
import org.junit.Test;

public class OpenStackSettingsTest {

    @Test
    public void parsesAndHidesThePassword() {
        OpenStackSettings s = OpenStackSettings.of("https://cloud.example.org:5000/v3/", "u", "TopSecret", "p", "",
                "", 3, 60, 500, 10, 5, new String[] {"gateway=m1.small, service=2", ""});
        assertEquals("https://cloud.example.org:5000/v3", s.authUrl());
        assertEquals("https://cloud.example.org:5000/v3", s.identityV3());
        assertEquals("Default", s.domain());
        assertEquals(Map.of("gateway", "m1.small", "service", "2"), s.flavors());
        assertTrue(s.problems().isEmpty());
        assertFalse(s.toString().contains("TopSecret"));
        assertTrue(s.toString().contains("password=(hidden)"));
        assertEquals("https://x:5000/v3", OpenStackSettings.of("https://x:5000", "u", "", "p", "", "", 1, 1, 1, 1, 1,
                null).identityV3());
    }

    @Test
    public void reportsWrongValues() {
        OpenStackSettings s = OpenStackSettings.of("ftp://x", "", "pw", "", "", "", -1, 0, 0, 0, 0,
                new String[] {"nonsense"});
        assertEquals(s.problems().toString(), 5, s.problems().size());
        DriverStatus status = new NovaVmDriver(s, java.time.Clock.systemUTC()).status();
        assertFalse(status.reachable());
        assertTrue(status.detail(), status.detail().contains("wrong configuration"));
    }

    @Test
    public void configuredComponentLogsItsSettingsWithoutThePassword() throws Exception {
        Map<String, Object> values = Map.of("authUrl", "http://127.0.0.1:9/v3", "user", "u", "password", "TopSecret",
                "project", "p");
        OpenStackConfiguration config = (OpenStackConfiguration) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {OpenStackConfiguration.class},
                (proxy, method, args) -> values.getOrDefault(method.getName(), method.getDefaultValue()));
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        OpenStackDriver driver;
        DriverStatus status;
        try {
            driver = new OpenStackDriver(config);
            status = driver.status(); // port 9 (discard) refuses: unreachable
        } finally {
            System.setErr(err);
        }
        String text = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        err.print(text);
        assertTrue(text, text.contains("OpenStack driver configured"));
        assertFalse(text.contains("TopSecret"));
        assertFalse(status.reachable());
        assertFalse(status.toString().contains("TopSecret"));
        Method deactivate = OpenStackDriver.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(driver);
    }

    /** The component as SCR builds it: no configuration at all still activates, and says it is not configured. */
    @Test
    public void componentWithoutConfigurationIsActiveAndSaysSo() throws Exception {
        OpenStackConfiguration defaults = (OpenStackConfiguration) Proxy.newProxyInstance(
                getClass().getClassLoader(), new Class<?>[] {OpenStackConfiguration.class},
                (proxy, method, args) -> method.getDefaultValue());
        OpenStackDriver driver = new OpenStackDriver(defaults);
        assertEquals("openstack", driver.name());
        DriverStatus status = driver.status();
        assertFalse(status.reachable());
        assertTrue(status.detail(), status.detail().contains("etc/org.betaas.vm.openstack.cfg"));
        Method deactivate = OpenStackDriver.class.getDeclaredMethod("deactivate");
        deactivate.setAccessible(true);
        deactivate.invoke(driver);
    }
}
