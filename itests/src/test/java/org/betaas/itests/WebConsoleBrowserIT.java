package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.IOException;
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
import java.util.List;

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
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExamServer;

/**
 * The BETaaS tab in headless Chromium (Debian chromium + chromium-driver, through Selenium): log in with HTTP
 * Basic, see the gateway and a forecast chart, open the placement dialog, and save the remote cloud form without
 * the password ever being shown back. The distribution runs in Pax Exam's server mode (tests run here, in the
 * driver JVM, against its HTTP port). Screenshots go to target/screenshots.
 */
public class WebConsoleBrowserIT {

    static final String GATEWAY_ID = "itest-browser-gw";
    static final String PORT = BetaasTestSupport.freePort();
    private static final Path SCREENSHOTS = Paths.get("target", "screenshots");
    private static final String PASSWORD = "browser-S3cret-42";

    /** The container's configuration: the common one with a port known to this JVM. */
    public static class Config extends BetaasTestSupport {
        @Override
        protected Option[] extraOptions() {
            return new Option[] {
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", PORT),
                editConfigurationFilePut("etc/org.betaas.gateway.cfg", "gateway.id", GATEWAY_ID)
            };
        }
    }

    @ClassRule
    public static final PaxExamServer KARAF = new PaxExamServer(Config.class);

    private final String origin = "http://127.0.0.1:" + PORT;
    private WebDriver browser;
    private WebDriverWait wait;

    @Rule
    public final TestWatcher screenshotOnFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            screenshot(description.getMethodName() + "-FAILED");
        }

        @Override
        protected void finished(Description description) {
            // after the failure screenshot
            if (browser != null) {
                browser.quit();
            }
        }
    };

    @Before
    public void startBrowser() throws Exception {
        awaitHttp(origin + "/betaas/api/v1/openapi.json", null);
        awaitHttp(origin + "/system/console/betaas", "karaf:karaf");
        Path profile = Files.createTempDirectory("betaas-chromium");
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
        browser.get("http://karaf:karaf@127.0.0.1:" + PORT + "/system/console/betaas");
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
        if (!note.contains("not available")) {
            wait.until(d -> Boolean.TRUE.equals(js.executeScript(
                    "return Chart.getChart(document.getElementById('forecast-cpu')) !== undefined;")));
        }
        screenshot("01-overview-and-forecast");
    }

    @Test
    public void thePlacementDialogExplainsBeforeDeploying() {
        openBetaasTab();
        browser.findElement(By.id("vm-new")).click();
        WebElement dialog = browser.findElement(By.id("placement-dialog"));
        wait.until(d -> dialog.isDisplayed());
        WebElement deploy = browser.findElement(By.id("placement-deploy"));
        assertFalse("deploy is only possible after an explanation", deploy.isEnabled());
        // templates come from the TemplateRegistry; without one the dialog says why
        wait.until(d -> !browser.findElements(By.cssSelector("#placement-template option")).isEmpty()
                || !browser.findElement(By.id("placement-result")).getText().isEmpty());
        List<WebElement> templates = browser.findElements(By.cssSelector("#placement-template option"));
        if (!templates.isEmpty()) {
            browser.findElement(By.id("placement-explain")).click();
            wait.until(d -> !browser.findElement(By.id("placement-result")).getText().isEmpty());
        }
        screenshot("02-placement-dialog");
        browser.findElement(By.id("placement-cancel")).click();
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
        screenshot("03-cloud-form-filled");
        browser.findElement(By.id("cloud-save")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("cloud-status"), "Saved"));
        assertEquals("", browser.findElement(By.id("cloud-password")).getAttribute("value"));
        assertEquals("a password is stored", browser.findElement(By.id("cloud-password-state")).getText());
        screenshot("04-cloud-form-saved");

        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBe(By.id("cloud-password-state"), "a password is stored"));
        assertEquals("http://127.0.0.1:9/v3", browser.findElement(By.id("cloud-authUrl")).getAttribute("value"));
        assertEquals("3", browser.findElement(By.id("cloud-maxVms")).getAttribute("value"));
        assertEquals("", browser.findElement(By.id("cloud-password")).getAttribute("value"));
        assertFalse("the password is not in the page", browser.getPageSource().contains(PASSWORD));
        screenshot("05-cloud-form-reloaded");
    }

    private void fill(String id, String value) {
        WebElement field = browser.findElement(By.id(id));
        field.clear();
        field.sendKeys(value);
    }
}
