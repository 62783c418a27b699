package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Before;
import org.junit.ClassRule;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExamServer;

/**
 * The BETaaS tab in headless Chromium (Debian chromium + chromium-driver, through Selenium): log in with HTTP
 * Basic; see the gateway, the instance's gateways with their trust and online state, a forecast chart and the
 * simulated things' live values; deploy the tiny test guest through the placement dialog (decision and reasons
 * first) on the host's libvirtd and destroy it from the VMs table; see the applications and incidents panels; save
 * the remote cloud form without the password ever being shown back. The distribution runs in Pax Exam's server
 * mode (tests run here, in the driver JVM, against its HTTP port). Screenshots go to itests/target/screenshots
 * (kept with the build's test reports).
 */
public class WebConsoleBrowserIT {

    static final String GATEWAY_ID = "itest-browser-gw";
    static final String PORT = BetaasTestSupport.freePort();
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final String PASSWORD = "browser-S3cret-42";
    /** The tiny x86_64 test guest (vm-templates/, built by itests/host/setup), as VmManagerIT deploys it. */
    private static final String TEST_TEMPLATE = "service-test-x86_64";
    private static final String BROKER_PORT = BetaasTestSupport.freePort();
    private static final String ADMIN = "karaf:karaf";

    /** The container's configuration: the common one with ports known to this JVM. */
    public static class Config extends BetaasTestSupport {
        @Override
        protected Option[] extraOptions() {
            return new Option[] {
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                editConfigurationFilePut("etc/org.betaas.gateway.cfg", "gateway.id", GATEWAY_ID),
                // simulated things with live values, on a broker port of this class's own
                simulatedThingsOnBroker(BROKER_PORT),
                // VMs: the tiny test guests on the host's libvirtd, as in VmManagerIT
                testGuestsOnHostLibvirt(),
                editConfigurationFilePut("etc/org.betaas.vm.manager.cfg", "reconcileSeconds", "0"),
                // a resource sample every second and a refit every 5 s: forecast charts with a real band within seconds
                editConfigurationFilePut("etc/org.betaas.resources.cfg", "interval.seconds", "1"),
                editConfigurationFilePut("etc/org.betaas.resources.cfg", "refit.seconds", "5"),
                editConfigurationFilePut("etc/org.betaas.resources.cfg", "history.hours", "1"),
                // the Dependability Manager looks every second, so that a stopped bundle makes an incident at once
                editConfigurationFilePut("etc/org.betaas.dependability.cfg", "pollSeconds", "1"),
                editConfigurationFilePut("etc/org.betaas.dependability.cfg", "initialDelaySeconds", "1"),
                editConfigurationFilePut("etc/org.betaas.dependability.cfg", "maxDelaySeconds", "2")
            };
        }
    }

    @ClassRule
    public static final PaxExamServer KARAF = new PaxExamServer(Config.class);

    private final String origin = "http://127.0.0.1:" + PORT;
    private WebDriver browser;
    private WebDriverWait wait;
    /** Chromium's --user-data-dir under /tmp: deleted once the browser quit. */
    private Path profile;

    @Rule
    public final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            screenshot(description.getMethodName() + "-FAILED");
        }

        @Override
        protected void finished(Description description) {
            // after the failure screenshot
            try {
                if (browser != null) {
                    browser.quit();
                }
            } finally {
                if (profile != null) {
                    deleteProfile(profile);
                }
            }
        }
    };

    @Before
    public void startBrowser() throws Exception {
        awaitHttp(origin + "/betaas/api/v1/openapi.json", null);
        awaitHttp(origin + "/system/console/betaas", ADMIN);
        profile = Files.createTempDirectory("betaas-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(System.getProperty("betaas.chromium", "/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--disable-dev-shm-usage", "--window-size=1400,1800", "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new java.io.File(System.getProperty("betaas.chromedriver", "/usr/bin/chromedriver")))
                .usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        Files.createDirectories(SCREENSHOTS);
    }

    /**
     * Deletes the browser's profile folder, again for at most 5 s while it still exists: Chromium's last processes
     * may still write to it for a moment after {@code quit()} returned.
     */
    private static void deleteProfile(Path dir) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (Files.exists(dir)) {
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                // a file vanished while walking: look again
            }
            if (!Files.exists(dir)) {
                return;
            }
            if (System.nanoTime() > deadline) {
                System.err.println("Could not delete the browser profile " + dir);
                return;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Whatever a test deployed is destroyed, through the API, even when the test failed half-way. */
    @After
    public void destroyLeftOverVms() throws Exception {
        Matcher ids = Pattern.compile("\"id\"\\s*:\\s*\"([^\"]+)\"").matcher(get("/betaas/api/v1/vms").body());
        while (ids.find()) {
            HttpResponse<String> r = send(HttpRequest.newBuilder(URI.create(origin + "/betaas/api/v1/vms/" + ids.group(1)))
                    .DELETE());
            assertTrue(r.statusCode() + " " + r.body(), r.statusCode() == 200 || r.statusCode() == 404);
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(origin + path)).GET());
    }

    private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        return http.send(request.timeout(Duration.ofSeconds(60)).header("Authorization", "Basic "
                + Base64.getEncoder().encodeToString(ADMIN.getBytes(StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** Polls a URL until it answers 200, at most 120 s: the container boots in the background. */
    private static void awaitHttp(String url, String credentials) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
            if (credentials != null) {
                request.header("Authorization", "Basic "
                        + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
            }
            try {
                last = http.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == 200) {
                    return;
                }
            } catch (IOException e) {
                last = -1;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(url + " did not answer 200 within 120 s (last status " + last + ")");
    }

    private void screenshot(String name) {
        if (browser instanceof TakesScreenshot shooter) {
            try {
                Files.createDirectories(SCREENSHOTS);
                Files.copy(shooter.getScreenshotAs(OutputType.FILE).toPath(), SCREENSHOTS.resolve(name + ".png"),
                        StandardCopyOption.REPLACE_EXISTING);
            } catch (Exception e) {
                System.err.println("Screenshot " + name + " failed: " + e);
            }
        }
    }

    /** Logs in the way a user does: Basic credentials for the console, reused by the page's API calls. */
    private void openBetaasTab() {
        browser.get("http://" + ADMIN + "@127.0.0.1:" + PORT + "/system/console/betaas");
        wait.until(ExpectedConditions.textToBe(By.id("betaas-gateway-id"), GATEWAY_ID));
    }

    @Test
    public void theTabShowsTheGatewayAndAForecastChart() {
        openBetaasTab();
        assertTrue(browser.getTitle(), browser.getPageSource().contains("BETaaS"));
        WebElement canvas = browser.findElement(By.id("forecast-cpu"));
        assertTrue(canvas.isDisplayed());
        JavascriptExecutor js = (JavascriptExecutor) browser;
        assertEquals(Boolean.TRUE, js.executeScript("return typeof Chart === 'function';"));
        // the chart is drawn once ResourceHistory answers; otherwise the note says why
        wait.until(d -> !browser.findElement(By.id("forecast-note")).getText().isEmpty());
        String note = browser.findElement(By.id("forecast-note")).getText();
        assertFalse(note, note.contains("not available"));
        // each chart: measured samples, the Holt forecast, and its prediction band (lower ≤ upper, drawn as a fill)
        String chart = "var c = Chart.getChart(document.getElementById('forecast-' + arguments[0]));"
                + "if (!c || c.data.datasets.length !== 4) { return 'no chart'; }"
                + "var d = c.data.datasets, set = function (x) { return x.data.filter(function (v) { return v != null; }); };"
                + "var measured = set(d[0]).length, forecast = set(d[1]), lower = d[2].data, upper = d[3].data, width = 0;"
                + "for (var i = 0; i < upper.length; i++) {"
                + "  if (upper[i] != null && lower[i] != null) {"
                + "    if (upper[i] < lower[i]) { return 'upper below lower at ' + i; }"
                + "    width = Math.max(width, upper[i] - lower[i]); } }"
                + "return measured + ' measured, ' + forecast.length + ' forecast, band ' + d[3].label + ' ' + d[3].fill"
                + " + ' width ' + (width > 0 ? 'positive' : 'zero');";
        WebDriverWait forecastWait = new WebDriverWait(browser, Duration.ofSeconds(90));
        // the last sample, then as many points as the history forecasts: forecast.horizon, 5 intervals by default
        for (String kind : List.of("cpu", "memory", "storage")) {
            forecastWait.until(d -> String.valueOf(js.executeScript(chart, kind))
                    .matches("([5-9]|\\d{2,}) measured, 6 forecast, band prediction band -1 width .*"));
        }
        // the host's CPU load or memory use moves from second to second: their band has a width
        forecastWait.until(d -> String.valueOf(js.executeScript(chart, "cpu")).endsWith("positive")
                || String.valueOf(js.executeScript(chart, "memory")).endsWith("positive"));
        screenshot("01-overview-and-forecast");
    }

    @Test
    public void theInstancePanelShowsEachGatewayWithItsTrustAndOnlineState() {
        openBetaasTab();
        By self = By.id("gateway-" + GATEWAY_ID);
        wait.until(ExpectedConditions.presenceOfElementLocated(self));
        String online = textOf(By.cssSelector("#gateway-" + GATEWAY_ID + " td.gw-online"));
        // no instance broker is configured here: this gateway is alone, not joined (and so not online in an instance)
        assertEquals("not joined", online);
        wait.until(ExpectedConditions.textToBe(By.id("instance-state"), "(not configured)"));
        String trust = textOf(By.cssSelector("#gateway-" + GATEWAY_ID + " td.gw-trust"));
        assertTrue(trust, trust.matches("[01]\\.\\d\\d"));
        assertTrue(textOf(self), textOf(self).contains("this gateway"));
        assertTrue(textOf(self), textOf(self).contains("cores"));
        screenshot("02-instance-gateways");
    }

    /**
     * A peer needs a second gateway on an instance broker (InstanceIT runs three); here the page's own answer from
     * GET /gateways is extended in the browser with a peer that went offline, to see how the panel shows it.
     */
    @Test
    public void aPeerIsShownOfflineWithItsLowerTrust() {
        openBetaasTab();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("gateway-" + GATEWAY_ID)));
        ((JavascriptExecutor) browser).executeScript("var real = window.fetch;"
                + "window.fetch = function (url, init) {"
                + "  return real(url, init).then(function (response) {"
                + "    if (!/\\/gateways$/.test(url) || !response.ok) { return response; }"
                + "    return response.json().then(function (gateways) {"
                + "      gateways.push({gatewayId: 'gw-peer-1', self: false, online: false, dismissed: false, trust: 0.42,"
                + "        lastSeen: '2026-01-01T00:00:00Z', missedHeartbeats: 3, resources: {cpuCores: 4, cpuLoad: 0.25,"
                + "        memoryTotal: 4294967296, memoryUsed: 1073741824, storageTotal: 34359738368, storageUsed: 8589934592},"
                + "        headroom: {available: {vcpus: 2.5, memoryMiB: 2048, storageMiB: 10240}, forecastBased: true},"
                + "        vms: [{id: 'x'}]});"
                + "      return new Response(JSON.stringify(gateways), {status: 200,"
                + "        headers: {'Content-Type': 'application/json'}});"
                + "    });"
                + "  });"
                + "};");
        By peer = By.id("gateway-gw-peer-1");
        wait.until(ExpectedConditions.presenceOfElementLocated(peer));
        assertEquals("offline", textOf(By.cssSelector("#gateway-gw-peer-1 td.gw-online")));
        assertEquals("0.42", textOf(By.cssSelector("#gateway-gw-peer-1 td.gw-trust")));
        assertEquals("2.5 vCPU, 2048 MiB, 10.0 GiB", textOf(By.cssSelector("#gateway-gw-peer-1 td.gw-headroom")));
        assertTrue(textOf(peer), textOf(peer).contains("4 cores, 25.0 %"));
        assertTrue(textOf(peer), textOf(peer).contains("2026-01-01 00:00:00 UTC"));
        // this gateway stays first
        assertEquals("gateway-" + GATEWAY_ID, browser.findElement(By.cssSelector("#gateways-body tr")).getAttribute("id"));
        screenshot("12-instance-with-a-peer");
    }

    @Test
    public void thingsShowTheirLiveLastValues() {
        openBetaasTab();
        // the simulator publishes sim-ambient-1 every 500 ms; the tab refreshes the things every 5 s
        By values = By.xpath("//tbody[@id='things-body']/tr[td[1][text()='sim-ambient-1']]/td[contains(@class,'betaas-values')]");
        wait.until(d -> hasValue(textOf(values)));
        String first = textOf(values);
        wait.until(d -> hasValue(textOf(values)) && !textOf(values).equals(first));
        screenshot("03-things-live-values");
    }

    @Test
    public void aThingsStoredHistoryIsChartedPerBucket() throws Exception {
        openBetaasTab();
        // the simulator's values reach the Big Data Manager; the history offers each value of each thing
        Select series = new Select(browser.findElement(By.id("history-series")));
        wait.until(d -> series.getOptions().stream().anyMatch(o -> o.getText().startsWith("sim-ambient-1 / ")));
        WebElement option = series.getOptions().stream().filter(o -> o.getText().startsWith("sim-ambient-1 / "))
                .findFirst().orElseThrow();
        String[] pick = option.getAttribute("value").replaceAll("[\\[\\]\"]", "").split(",", 2);
        series.selectByValue(option.getAttribute("value"));
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // per bucket with values: min ≤ mean ≤ max, drawn as a band
        String chart = "var c = Chart.getChart(document.getElementById('history-chart'));"
                + "if (!c) { return 'no chart'; } var d = c.data.datasets, n = 0, ok = true;"
                + "for (var i = 0; i < d[0].data.length; i++) { var m = d[0].data[i]; if (m == null) { continue; } n++;"
                + " ok = ok && d[1].data[i] <= m && m <= d[2].data[i]; }"
                + "return c.data.labels.length + ' buckets, ' + n + ' with values, band ' + ok + ' ' + d[2].fill;";
        // an even time axis: every minute of the hour is a bucket, with values or empty
        wait.until(d -> String.valueOf(js.executeScript(chart)).matches("6[01] buckets, [1-9]\\d* with values, band true -1"));
        Pattern noteForm = Pattern.compile("\\(([1-9]\\d*) values stored over the last 60 min, per 60 s\\)");
        wait.until(d -> noteForm.matcher(textOf(By.id("history-note"))).matches());
        Matcher note = noteForm.matcher(textOf(By.id("history-note")));
        assertTrue(note.toString(), note.matches());
        long shown = Long.parseLong(note.group(1));
        // what the REST API gives for the same value a moment later: as many or more (the simulator goes on)
        HttpResponse<String> r = get("/betaas/api/v1/things/sim-ambient-1/measurements?since=3600s&bucket=60s&name="
                + java.net.URLEncoder.encode(pick[1], StandardCharsets.UTF_8));
        assertEquals(r.body(), 200, r.statusCode());
        long stored = 0;
        Matcher counts = Pattern.compile("\"count\":(\\d+)").matcher(r.body());
        while (counts.find()) {
            stored += Long.parseLong(counts.group(1));
        }
        assertTrue(shown + " shown, " + stored + " stored", shown > 0 && stored >= shown);
        // the store behind it: at least what this value alone has, in the embedded H2 database
        Pattern storeForm = Pattern.compile("Big Data Manager: (\\d+) values stored \\(.*MiB.*\\), .* queries/min; Big Data"
                + " nodes: .*");
        wait.until(d -> storeForm.matcher(textOf(By.id("bigdata-status"))).matches());
        Matcher store = storeForm.matcher(textOf(By.id("bigdata-status")));
        assertTrue(store.toString(), store.matches());
        assertTrue(store.group(0), Long.parseLong(store.group(1)) >= shown);
        screenshot("13-thing-history-and-big-data");
    }

    @Test
    public void aVmIsDeployedThroughThePlacementDialogAndDestroyedFromItsRow() throws Exception {
        openBetaasTab();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#vms-body td.betaas-unavailable")));
        browser.findElement(By.id("vm-new")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("placement-dialog")));
        WebElement deploy = browser.findElement(By.id("placement-deploy"));
        assertFalse("deploy is only possible after the decision is shown", deploy.isEnabled());
        By option = By.cssSelector("#placement-template option[value='" + TEST_TEMPLATE + "']");
        wait.until(ExpectedConditions.presenceOfElementLocated(option));
        new Select(browser.findElement(By.id("placement-template"))).selectByValue(TEST_TEMPLATE);

        // the decision and its reasons, before anything is deployed
        wait.until(ExpectedConditions.presenceOfElementLocated(By.id("placement-decision")));
        String decision = textOf(By.id("placement-decision"));
        List<WebElement> reasons = browser.findElements(By.cssSelector("#placement-reasons li"));
        screenshot("04-placement-decision");
        assertEquals(decision + " " + texts(reasons), "Goes to " + GATEWAY_ID + " (this instance)", decision);
        assertFalse("the reasons are shown", reasons.isEmpty());
        assertEquals("[]", get("/betaas/api/v1/vms").body().replaceAll("\\s", ""));
        wait.until(ExpectedConditions.elementToBeClickable(By.id("placement-deploy")));
        assertEquals("Deploy on " + GATEWAY_ID, deploy.getText());

        deploy.click();
        By progress = By.id("placement-progress");
        new WebDriverWait(browser, Duration.ofSeconds(90)).until(d -> !d.findElement(By.id("placement-dialog"))
                .isDisplayed() || textOf(progress).startsWith("Deployment failed"));
        assertFalse(textOf(progress), browser.findElement(By.id("placement-dialog")).isDisplayed());
        String status = textOf(By.id("betaas-status"));
        assertTrue(status, status.startsWith("Deployed VM "));
        String vmId = browser.findElement(By.id("betaas-status")).getAttribute("data-vm");
        By row = By.id("vm-" + vmId);
        wait.until(d -> !d.findElements(row).isEmpty() && textOf(row).contains("RUNNING"));
        assertTrue(textOf(row), textOf(row).contains(TEST_TEMPLATE));
        assertTrue(textOf(row), textOf(row).contains("libvirt"));
        assertTrue(get("/betaas/api/v1/vms").body().contains(vmId));
        screenshot("05-vm-deployed");

        By destroy = By.cssSelector("#vm-" + vmId + " button.vm-destroy");
        wait.ignoring(StaleElementReferenceException.class)
                .until(ExpectedConditions.elementToBeClickable(destroy)).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(row));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("vms-body"), "No VM."));
        assertFalse(get("/betaas/api/v1/vms").body().contains(vmId));
        screenshot("06-vm-destroyed");
    }

    @Test
    public void aStoppedBundleShowsAsAnIncidentWithItsRecovery() throws Exception {
        openBetaasTab();
        By incidents = By.id("incidents-body");
        wait.until(d -> !textOf(incidents).equals("…"));
        assertFalse(textOf(incidents), textOf(incidents).contains("Error") || textOf(incidents).contains("Not available"));
        // what the Dependability Manager watches: every bundle and component of the gateway, nothing failing
        Pattern healthy = Pattern.compile("Watching \\d+ bundles, \\d+ components.* — last looked \\d{4}-.* UTC; 0 failing now\\.");
        wait.until(d -> healthy.matcher(textOf(By.id("watched-summary"))).matches());
        assertEquals("Nothing failing.", textOf(By.id("watched-body")));
        // an operator stops the simulator's bundle in the console's Bundles tab (its form posts action=stop)
        String bundle = "org.betaas.adaptation.simulator";
        HttpResponse<String> stopped = send(HttpRequest.newBuilder(URI.create(origin + "/system/console/bundles/" + bundle))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("action=stop")));
        assertEquals(stopped.body(), 200, stopped.statusCode());
        // the incidents panel refreshes every 10 s: the incident shows with what was done and its outcome
        By row = By.xpath("//tbody[@id='incidents-body']/tr[td[4][text()='" + bundle + "']]");
        new WebDriverWait(browser, Duration.ofSeconds(60)).until(d -> textOf(row).contains("recovered"));
        assertTrue(textOf(row), textOf(row).contains("BUNDLE"));
        wait.until(d -> healthy.matcher(textOf(By.id("watched-summary"))).matches());
        screenshot("11-incident-recovered");
    }

    @Test
    public void anAppInstalledFromTheConsoleIsListedWithItsThingsThenUninstalled() throws Exception {
        openBetaasTab();
        wait.until(ExpectedConditions.textToBe(By.id("apps-body"), "No application installed."));

        browser.findElement(By.cssSelector("#app-install summary")).click();
        fill("app-manifest", "{\"name\": \"console-app\", \"owner\": \"browser\","
                + " \"things\": [{\"type\": \"temperature\", \"unit\": \"Cel\", \"maxAgeSeconds\": 60}]}");
        browser.findElement(By.id("app-install-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("app-status"), "Installed console-app"));
        String token = textOf(By.id("app-token"));
        assertTrue(token, token.matches("Token of console-app \\(shown only now, keep it\\): \\S{20,}"));
        By granted = By.cssSelector("#app-console-app td.app-granted");
        wait.until(d -> textOf(granted).contains("sim-ambient-1"));
        By row = By.id("app-console-app");
        assertTrue(textOf(row), textOf(row).contains("browser"));
        assertTrue(textOf(row), textOf(row).contains("temperature in Cel"));
        screenshot("07-app-installed-and-incidents");

        wait.ignoring(StaleElementReferenceException.class).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("#app-console-app button.app-uninstall"))).click();
        wait.until(ExpectedConditions.alertIsPresent()).accept();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("app-status"), "Uninstalled console-app"));
        wait.until(ExpectedConditions.textToBe(By.id("apps-body"), "No application installed."));
        assertEquals("[]", get("/betaas/api/v1/apps").body().replaceAll("\\s", ""));
        // after a reload the token is gone for good
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("apps-body"), "No application installed."));
        assertFalse(browser.getPageSource().contains(token.substring(token.lastIndexOf(' ') + 1)));
    }

    /** A last-values cell that shows a number (not the placeholder or an error). */
    private static boolean hasValue(String cell) {
        return cell.matches(".*\\d.*") && !cell.contains("…");
    }

    /** The text of an element the page may re-render meanwhile ("" when it is gone or being replaced). */
    private String textOf(By locator) {
        try {
            List<WebElement> found = browser.findElements(locator);
            return found.isEmpty() ? "" : found.get(0).getText();
        } catch (StaleElementReferenceException e) {
            return "";
        }
    }

    private static List<String> texts(List<WebElement> elements) {
        return elements.stream().map(WebElement::getText).toList();
    }

    @Test
    public void theCloudFormSavesButNeverShowsThePasswordBack() {
        openBetaasTab();
        wait.until(d -> !browser.findElement(By.id("cloud-password-state")).getText().isEmpty());
        fill("cloud-authUrl", "http://127.0.0.1:9/v3");
        fill("cloud-user", "betaas");
        fill("cloud-project", "demo");
        fill("cloud-maxVms", "3");
        fill("cloud-password", PASSWORD);
        screenshot("08-cloud-form-filled");
        browser.findElement(By.id("cloud-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cloud-status"), "Saved"));
        assertEquals("", browser.findElement(By.id("cloud-password")).getAttribute("value"));
        assertEquals("a password is stored", browser.findElement(By.id("cloud-password-state")).getText());
        assertTrue(browser.findElement(By.id("cloud-password-state")).getAttribute("class").contains("betaas-password-set"));
        screenshot("09-cloud-form-saved");

        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("cloud-password-state"), "a password is stored"));
        assertEquals("http://127.0.0.1:9/v3", browser.findElement(By.id("cloud-authUrl")).getAttribute("value"));
        assertEquals("3", browser.findElement(By.id("cloud-maxVms")).getAttribute("value"));
        assertEquals("", browser.findElement(By.id("cloud-password")).getAttribute("value"));
        assertFalse("the password is not in the page", browser.getPageSource().contains(PASSWORD));
        screenshot("10-cloud-form-reloaded");
    }

    private void fill(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }
}
