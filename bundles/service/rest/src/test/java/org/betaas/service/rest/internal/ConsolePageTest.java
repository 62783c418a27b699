package org.betaas.service.rest.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.Test;

/** The console page and its script agree, and the plugin serves only what it lists. */
public class ConsolePageTest {

    private static String resource(String path) throws IOException {
        try (InputStream in = ConsolePageTest.class.getClassLoader().getResourceAsStream(path)) {
            assertNotNull(path, in);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    public void everyElementTheScriptLooksUpIsOnThePage() throws IOException {
        String html = resource("org/betaas/service/rest/internal/console/content.html");
        String js = resource(ConsolePlugin.RESOURCES.get("betaas.js"));
        Set<String> missing = new TreeSet<>();
        Matcher ids = Pattern.compile("\\$\\('([a-z-]+)'\\)").matcher(js);
        while (ids.find()) {
            if (!html.contains("id=\"" + ids.group(1) + "\"")) {
                missing.add(ids.group(1));
            }
        }
        // the cloud fields are looked up by name: 'cloud-' + key
        for (String key : CloudForm.KEYS) {
            if (!html.contains("id=\"cloud-" + key + "\"")) {
                missing.add("cloud-" + key);
            }
        }
        assertEquals(Set.of(), missing);
    }

    @Test
    public void thePageCallsTheApiAndLoadsItsScriptsFromThePlugin() throws IOException {
        String html = resource("org/betaas/service/rest/internal/console/content.html");
        assertTrue(html.contains("data-api=\"${api}\""));
        assertTrue(html.contains("src=\"${appRoot}/betaas/res/chart.umd.min.js\""));
        assertTrue(html.contains("src=\"${appRoot}/betaas/res/betaas.js\""));
        assertTrue("no CDN: scripts and styles come from the bundle",
                !Pattern.compile("(src|href)=\"(https?:)?//").matcher(html).find());
    }

    @Test
    public void onlyListedResourcesAreServed() {
        ConsolePlugin plugin = new ConsolePlugin();
        assertNotNull(plugin.getResource("/betaas/res/betaas.js"));
        assertNotNull(plugin.getResource("/betaas/res/betaas.css"));
        assertNull(plugin.getResource("/betaas/res/../../OSGI-INF/x.xml"));
        assertNull(plugin.getResource("/betaas/res/content.html"));
        assertNull(plugin.getResource("/other/res/betaas.js"));
        assertNull(plugin.getResource(null));
    }
}
