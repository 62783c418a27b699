package org.betaas.itests;

import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.composite;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.configureConsole;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.karafDistributionConfiguration;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.keepRuntimeFolder;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.logLevel;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.inject.Inject;

import org.apache.karaf.features.BootFinished;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.api.console.SessionFactory;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.ProbeBuilder;
import org.ops4j.pax.exam.TestProbeBuilder;
import org.ops4j.pax.exam.karaf.options.LogLevelOption.LogLevel;
import org.ops4j.pax.exam.options.extra.VMOption;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;

/**
 * Boots the built BETaaS distribution once per test class (see {@code @ExamReactorStrategy(PerClass.class)} on
 * each test) and gives tests the shell and assertions on bundles and components.
 */
public abstract class BetaasTestSupport {

    protected static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    protected BundleContext bundleContext;

    @Inject
    protected SessionFactory sessionFactory;

    @Inject
    protected ServiceComponentRuntime scr;

    /** Tests start only once the boot features are installed. */
    @Inject
    protected BootFinished bootFinished;

    @Configuration
    public Option[] config() {
        String distribution = System.getProperty("betaas.distribution");
        if (distribution == null || !new File(distribution).isFile()) {
            throw new IllegalStateException("Distribution " + distribution + " not built: run mvn install first");
        }
        String karafVersion = System.getProperty("karaf.version");
        List<Option> options = new ArrayList<>(List.of(
                karafDistributionConfiguration().frameworkUrl(new File(distribution).toURI().toString())
                        .name("BETaaS Gateway").karafVersion(karafVersion).useDeployFolder(false)
                        .unpackDirectory(new File("target/exam")),
                configureConsole().ignoreLocalConsole(),
                keepRuntimeFolder(),
                logLevel(LogLevel.INFO),
                editConfigurationFilePut("etc/org.ops4j.pax.web.cfg", "org.osgi.service.http.port", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.shell.cfg", "sshPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiRegistryPort", freePort()),
                editConfigurationFilePut("etc/org.apache.karaf.management.cfg", "rmiServerPort", freePort()),
                // the test probe is resolved by the container from the build's Maven repository
                editConfigurationFilePut("etc/org.ops4j.pax.url.mvn.cfg", "org.ops4j.pax.url.mvn.localRepository",
                        System.getProperty("org.ops4j.pax.url.mvn.localRepository", ""))));
        // The module flags bin/karaf passes on Java 9+.
        Stream.of("--add-reads=java.xml=java.logging",
                "--add-exports=java.base/org.apache.karaf.specs.locator=java.xml,ALL-UNNAMED",
                "--patch-module", "java.base=lib/endorsed/org.apache.karaf.specs.locator-" + karafVersion + ".jar",
                "--patch-module", "java.xml=lib/endorsed/org.apache.karaf.specs.java.xml-" + karafVersion + ".jar",
                "--add-opens", "java.base/java.security=ALL-UNNAMED",
                "--add-opens", "java.base/java.net=ALL-UNNAMED",
                "--add-opens", "java.base/java.lang=ALL-UNNAMED",
                "--add-opens", "java.base/java.util=ALL-UNNAMED",
                "--add-opens", "java.naming/javax.naming.spi=ALL-UNNAMED",
                "--add-opens", "java.rmi/sun.rmi.transport.tcp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.file=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.ftp=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.http=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.https=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.protocol.jar=ALL-UNNAMED",
                "--add-exports=java.base/sun.net.www.content.text=ALL-UNNAMED",
                "--add-exports=jdk.xml.dom/org.w3c.dom.html=ALL-UNNAMED",
                "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
                "--add-exports=java.security.sasl/com.sun.security.sasl=ALL-UNNAMED",
                "--add-exports=java.naming/com.sun.jndi.ldap=ALL-UNNAMED",
                "--add-exports=jdk.naming.rmi/com.sun.jndi.url.rmi=ALL-UNNAMED",
                "-classpath", "lib/jdk9plus/*" + File.pathSeparator + "lib/boot/*")
                .map(VMOption::new).forEach(options::add);
        options.addAll(Arrays.asList(extraOptions()));
        return options.toArray(new Option[0]);
    }

    /** Options a test class adds, e.g. configuration values. */
    protected Option[] extraOptions() {
        return new Option[0];
    }

    /** The container's HTTP port (a free one, see {@link #config()}), as Pax Web's configuration holds it. */
    protected int httpPort() throws Exception {
        org.osgi.framework.ServiceReference<org.osgi.service.cm.ConfigurationAdmin> ref =
                bundleContext.getServiceReference(org.osgi.service.cm.ConfigurationAdmin.class);
        org.osgi.service.cm.Configuration[] configs = bundleContext.getService(ref)
                .listConfigurations("(service.pid=org.ops4j.pax.web)");
        return Integer.parseInt(String.valueOf(configs[0].getProperties().get("org.osgi.service.http.port")).trim());
    }

    @ProbeBuilder
    public TestProbeBuilder probe(TestProbeBuilder probe) {
        probe.setHeader(Constants.DYNAMICIMPORT_PACKAGE, "*");
        return probe;
    }

    /** The repository's vm-templates/, where itests/host/setup builds the test guests (the distribution ships none). */
    static String vmTemplatesFolder() {
        return new File("../vm-templates").getAbsoluteFile().toPath().normalize().toString();
    }

    /** Where the test guests' serial consoles are logged, below the build's itests/target. */
    static String vmConsoleFolder() {
        return new File("target/vm-consoles").getAbsoluteFile().toPath().normalize().toString();
    }

    /**
     * VMs as the ITs run them: the tiny test guests of vm-templates/ on the host's libvirtd, under TCG (KVM is
     * advertised on these hosts but its guests hang), their consoles logged to {@link #vmConsoleFolder()}.
     */
    static Option testGuestsOnHostLibvirt() {
        return composite(
                editConfigurationFilePut("etc/org.betaas.vm.templates.cfg", "folder", vmTemplatesFolder()),
                editConfigurationFilePut("etc/org.betaas.vm.libvirt.cfg", "uri", "qemu:///system"),
                editConfigurationFilePut("etc/org.betaas.vm.libvirt.cfg", "domainType", "qemu"),
                editConfigurationFilePut("etc/org.betaas.vm.libvirt.cfg", "consoleDir", vmConsoleFolder()));
    }

    /**
     * The embedded broker on a port of the test class's own (ITs run one after another, a port left in TIME_WAIT
     * must not matter), with the MQTT adaptor and the simulator (a value every 0.5 s) connected to it.
     */
    static Option simulatedThingsOnBroker(String port) {
        String url = "tcp://127.0.0.1:" + port;
        return composite(
                editConfigurationFilePut("etc/org.betaas.broker.cfg", "port", port),
                editConfigurationFilePut("etc/org.betaas.mqtt.cfg", "broker.url", url),
                editConfigurationFilePut("etc/org.betaas.simulator.cfg", "broker.url", url),
                editConfigurationFilePut("etc/org.betaas.simulator.cfg", "interval.ms", "500"));
    }

    static String freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return Integer.toString(socket.getLocalPort());
        } catch (IOException e) {
            throw new IllegalStateException("No free port", e);
        }
    }

    /** Runs a shell command as the console would and returns what it printed. */
    protected String executeCommand(String command) {
        String[] parts = command.split(" ")[0].split(":");
        awaitTrue("command " + parts[0] + " to be registered",
                () -> sessionFactory.getRegistry().getCommand(parts[0], parts[1]) != null);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
        try (Session session = sessionFactory.create(new ByteArrayInputStream(new byte[0]), out, out)) {
            Object result = session.execute(command);
            if (result != null) {
                out.println(result);
            }
        } catch (Exception e) {
            out.println("Error executing " + command + ": " + e);
        }
        out.flush();
        return bytes.toString(StandardCharsets.UTF_8);
    }

    /** Waits for a condition, failing with its description after {@link #TIMEOUT}. */
    protected static void awaitTrue(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("Timed out after " + TIMEOUT.toSeconds() + " s waiting for " + what);
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                fail("Interrupted waiting for " + what);
            }
        }
    }

    /**
     * The last {@code count} lines of the container's karaf.log in which {@code regex} is found, joined on one line:
     * for failure messages, since CI shows the summary line of a failed test and not the container's log.
     */
    protected static String logLines(String regex, int count) {
        Path log = Path.of(System.getProperty("karaf.data", "data"), "log", "karaf.log");
        Pattern pattern = Pattern.compile(regex);
        try (Stream<String> lines = Files.lines(log, StandardCharsets.UTF_8)) {
            List<String> matching = lines.filter(l -> pattern.matcher(l).find()).collect(Collectors.toList());
            return String.join(" | ", matching.subList(Math.max(0, matching.size() - count), matching.size()));
        } catch (IOException | RuntimeException e) {
            return "(cannot read " + log + ": " + e + ")";
        }
    }

    /** Every BETaaS bundle among {@code expected} is installed and ACTIVE. */
    protected void assertBundlesActive(String... expected) {
        for (String name : expected) {
            Bundle bundle = Arrays.stream(bundleContext.getBundles())
                    .filter(b -> name.equals(b.getSymbolicName())).findFirst().orElse(null);
            assertTrue("bundle " + name + " is not installed", bundle != null);
            awaitTrue("bundle " + name + " to be ACTIVE", () -> bundle.getState() == Bundle.ACTIVE);
        }
    }

    /** Every DS component of every org.betaas bundle is ACTIVE or SATISFIED. */
    protected void assertComponentsActive() {
        awaitTrue("every BETaaS component to be ACTIVE or SATISFIED, now: " + componentStates(),
                () -> {
                    List<Integer> states = betaasComponents().stream()
                            .flatMap(d -> scr.getComponentConfigurationDTOs(d).stream())
                            .map(c -> c.state).collect(Collectors.toList());
                    return !states.isEmpty() && states.stream().allMatch(s ->
                            s == ComponentConfigurationDTO.ACTIVE || s == ComponentConfigurationDTO.SATISFIED);
                });
    }

    protected List<ComponentDescriptionDTO> betaasComponents() {
        Bundle[] betaas = Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName() != null && b.getSymbolicName().startsWith("org.betaas."))
                .toArray(Bundle[]::new);
        return new ArrayList<>(scr.getComponentDescriptionDTOs(betaas));
    }

    private String componentStates() {
        return betaasComponents().stream()
                .map(d -> d.name + "=" + scr.getComponentConfigurationDTOs(d).stream()
                        .map(c -> Integer.toString(c.state)).collect(Collectors.joining(",")))
                .collect(Collectors.joining(" "));
    }
}
