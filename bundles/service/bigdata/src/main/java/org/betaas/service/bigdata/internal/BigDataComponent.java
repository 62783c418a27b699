package org.betaas.service.bigdata.internal;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.betaas.api.bigdata.Aggregate;
import org.betaas.api.bigdata.BigDataException;
import org.betaas.api.bigdata.BigDataManager;
import org.betaas.api.bigdata.BigDataNode;
import org.betaas.api.bigdata.BigDataStatus;
import org.betaas.api.bigdata.NodeRole;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.placement.TaasResourcesManager;
import org.betaas.api.things.Measurement;
import org.betaas.api.things.Subscription;
import org.betaas.api.things.ThingFilter;
import org.betaas.api.things.ThingSubscriptions;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Big Data Manager as a service (PID {@code org.betaas.bigdata}): subscribes to every thing's measurements and
 * stores them, and runs the {@link BigDataCore}'s retention and node scaling every {@code check.interval.s}. Nodes
 * are deployed through the TaaS Resources Manager and destroyed through the VM Manager; both are optional.
 *
 * <p>The database is opened on the component's own thread, and activation waits for it at most
 * {@value #ACTIVATION_WAIT_SECONDS} s: activation runs on Karaf's feature deployer, and a PostgreSQL server that
 * accepts connections and never answers held it for good (the REST API, web console and Dependability Manager,
 * started after this bundle, never started). A database that cannot be opened is tried again every check interval,
 * so a server that comes up after the gateway (a power cut: the gateway boots faster) is used without a restart.
 */
@Component(service = BigDataManager.class, configurationPid = "org.betaas.bigdata",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true,
        property = "service.description=BETaaS Big Data Manager")
@Designate(ocd = BigDataConfiguration.class)
public final class BigDataComponent implements BigDataManager, NodeProvisioner {

    private static final Logger LOG = LoggerFactory.getLogger(BigDataComponent.class);
    static final String REQUESTER = "bigdata-manager";
    private static final String CFG = "etc/org.betaas.bigdata.cfg";

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile TaasResourcesManager placement;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile VmManager vms;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LocalGateway gateway;

    /** How often a database that stopped answering is asked whether it answers again. */
    static final int PROBE_SECONDS = 5;

    /** How long activation waits for the database before going on with it opening in the background. */
    static final int ACTIVATION_WAIT_SECONDS = 5;

    private final String url;
    private final String user;
    private final String password;
    private final Duration answerTimeout;
    private final List<String> configProblems;
    private final Retention retention;
    private final NodeScaler.Thresholds thresholds;
    private final String storageTemplate;
    private final String computeTemplate;
    private volatile Database database;
    private volatile BigDataCore core;
    private volatile String lastOpenProblem;
    private volatile boolean closed;
    private final ScheduledExecutorService timer;
    private final Object subscriptionLock = new Object();
    private Subscription subscription;
    private volatile long lastStoreWarning;

    @Activate
    public BigDataComponent(BigDataConfiguration config) {
        List<String> problems = new ArrayList<>();
        Retention retention = retention(config, problems);
        NodeScaler.Thresholds thresholds = thresholds(config, problems);
        int interval = seconds(config.check_interval_s(), "check.interval.s", 30, problems);
        this.answerTimeout = Duration.ofSeconds(seconds(config.answer_timeout_s(), "answer.timeout.s",
                (int) Database.DEFAULT_ANSWER_TIMEOUT.toSeconds(), problems));
        String configured = config.jdbc_url() == null ? "" : config.jdbc_url().trim();
        // WRITE_DELAY=50 (H2's default is 500 ms): what is committed is on disk 50 ms later, which is what a crash
        // may lose (the 500 ms lost 0.1-0.4 s of a 200/s stream at a kill -9), and a write that fails (a full disk)
        // shows at the next batch. Not 0: every batch (one per message) would then write, 12-20k commits/s on a PC
        // instead of 100-260k (docs/architecture.md, "A gateway that dies")
        this.url = configured.isEmpty() ? "jdbc:h2:file:" + Path.of(System.getProperty("karaf.data", "data"),
                "betaas", "bigdata").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=50" : configured;
        this.user = config.jdbc_user();
        this.password = config.jdbc_password();
        problems.forEach(p -> LOG.warn("Big Data Manager configuration: {}", p));
        this.configProblems = List.copyOf(problems);
        this.retention = retention;
        this.thresholds = thresholds;
        this.storageTemplate = template(config.storage_template(), "bigdata-storage");
        this.computeTemplate = template(config.compute_template(), "bigdata-compute");
        this.core = core(null, null, "The Big Data database " + Dialect.withoutSecrets(url) + " is being opened");
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-bigdata");
            t.setDaemon(true);
            return t;
        });
        Future<?> opened = timer.submit(this::open);
        timer.scheduleWithFixedDelay(this::tick, interval, interval, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::probe, PROBE_SECONDS, PROBE_SECONDS, TimeUnit.SECONDS);
        try {
            opened.get(ACTIVATION_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            LOG.warn("Big Data Manager: the database {} has not answered in {} s: still opening it in the background",
                    Dialect.withoutSecrets(url), ACTIVATION_WAIT_SECONDS);
        } catch (ExecutionException e) {
            LOG.warn("Big Data Manager: opening the database failed: {}", e.getCause().toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        LOG.info("Big Data Manager storing in {} ({}), checking every {} s", Dialect.withoutSecrets(url), retention,
                interval);
    }

    /** A core on the given store (null while there is none: {@code problem} says why). */
    private BigDataCore core(MeasurementStore store, NodeRecords records, String problem) {
        List<String> problems = new ArrayList<>(configProblems);
        if (problem != null) {
            problems.add(problem);
        }
        return new BigDataCore(store, records, Dialect.withoutSecrets(url), problems, retention,
                new NodeScaler(thresholds), storageTemplate, computeTemplate, this, Clock.systemUTC());
    }

    /** Opens the database and puts a core on it; on failure says why and leaves it to the next check to retry. */
    private void open() {
        Database db = null;
        try {
            db = new Database(url, user, password, answerTimeout);
            BigDataCore ready = core(new JdbcMeasurementStore(db), new NodeRecords(db), null);
            if (closed) {
                db.close();
                return;
            }
            database = db;
            core = ready;
            if (lastOpenProblem != null) {
                LOG.info("Big Data Manager: the database {} is open", Dialect.withoutSecrets(url));
            }
            lastOpenProblem = null;
        } catch (SQLException | RuntimeException | LinkageError e) {
            if (db != null) {
                db.close();
            }
            String problem = "The Big Data database " + Dialect.withoutSecrets(url) + " cannot be used ("
                    + e.getMessage() + "): check jdbc.url, jdbc.user and jdbc.password in " + CFG
                    + "; trying again at every check";
            core = core(null, null, problem);
            if (!problem.equals(lastOpenProblem)) {
                LOG.warn("Big Data Manager configuration: {}", problem);
            }
            lastOpenProblem = problem;
        }
    }

    private static String template(String configured, String fallback) {
        return configured == null || configured.isBlank() ? fallback : configured.trim();
    }

    private static Retention retention(BigDataConfiguration c, List<String> problems) {
        long age = c.retention_max_age_s();
        long rows = c.retention_max_rows();
        if (age < 0) {
            problems.add("retention.max.age.s = " + age + " is negative: use 0 (no age limit) or more (using 604800)");
            age = 604_800;
        }
        if (rows < 0) {
            problems.add("retention.max.rows = " + rows + " is negative: use 0 (no limit) or more (using 1000000)");
            rows = 1_000_000;
        }
        return new Retention(Duration.ofSeconds(age), rows);
    }

    private static NodeScaler.Thresholds thresholds(BigDataConfiguration c, List<String> problems) {
        long rows = nonNegative(c.storage_rows_high(), "storage.rows.high", 500_000, problems);
        long bytes = nonNegative(c.storage_bytes_high(), "storage.bytes.high", 268_435_456, problems);
        double queries = c.compute_queries_per_minute_high();
        if (!(queries >= 0)) {
            problems.add("compute.queries.per.minute.high = " + queries + " is negative: use 0 (off) or more"
                    + " (using 600)");
            queries = 600;
        }
        double fraction = c.release_fraction();
        if (!(fraction > 0 && fraction <= 1)) {
            problems.add("release.fraction = " + fraction + " is out of range: use more than 0, at most 1 (using 0.5)");
            fraction = 0.5;
        }
        long cooldown = nonNegative(c.cooldown_s(), "cooldown.s", 300, problems);
        int maxStorage = (int) nonNegative(c.storage_max_nodes(), "storage.max.nodes", 1, problems);
        int maxCompute = (int) nonNegative(c.compute_max_nodes(), "compute.max.nodes", 1, problems);
        return new NodeScaler.Thresholds(rows, bytes, queries, fraction, maxStorage, maxCompute,
                Duration.ofSeconds(cooldown), Duration.ofSeconds(30));
    }

    /** A setting in seconds, 1-3600; out of that range, {@code fallback} with the problem said. */
    private static int seconds(int value, String key, int fallback, List<String> problems) {
        if (value < 1 || value > 3600) {
            problems.add(key + " = " + value + " is out of range: use 1-3600 (using " + fallback + " meanwhile)");
            return fallback;
        }
        return value;
    }

    private static long nonNegative(long value, String key, long fallback, List<String> problems) {
        if (value < 0) {
            problems.add(key + " = " + value + " is negative: use 0 or more (using " + fallback + ")");
            return fallback;
        }
        return value;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSubscriptions(ThingSubscriptions subscriptions) {
        synchronized (subscriptionLock) {
            closeSubscription();
            subscription = subscriptions.subscribe("bigdata-manager", ThingFilter.all(),
                    (thing, measurements) -> ingest(measurements));
        }
    }

    void unbindSubscriptions(ThingSubscriptions subscriptions) {
        synchronized (subscriptionLock) {
            closeSubscription();
        }
    }

    private void closeSubscription() {
        if (subscription != null) {
            try {
                subscription.close();
            } catch (RuntimeException e) {
                LOG.debug("Closing the Big Data subscription: {}", e.toString());
            }
            subscription = null;
        }
    }

    private void ingest(List<Measurement> measurements) {
        try {
            core.store(measurements);
        } catch (BigDataException e) {
            long now = System.nanoTime();
            // one warning a minute at most: a broken database would otherwise log at the things' rate
            if (now - lastStoreWarning > TimeUnit.MINUTES.toNanos(1) || lastStoreWarning == 0) {
                lastStoreWarning = now;
                LOG.warn("Big Data: measurements not stored: {}", e.getMessage());
            }
        }
    }

    /** While callers are told at once that the database does not answer, asks it whether it answers again. */
    private void probe() {
        Database db = database;
        if (db != null && db.unanswered() && db.probe()) {
            LOG.info("Big Data Manager: the database {} answers again", Dialect.withoutSecrets(url));
        }
    }

    private void tick() {
        if (database == null) {
            open();
            return;
        }
        try {
            core.tick();
        } catch (RuntimeException e) {
            LOG.warn("Big Data check failed: {}", e.toString());
        }
    }

    @Deactivate
    void deactivate() {
        closed = true;
        synchronized (subscriptionLock) {
            closeSubscription();
        }
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        // the nodes held stay deployed and recorded: the next activation releases them when the load allows
        Database db = database;
        if (db != null) {
            db.close();
        }
    }

    @Override
    public void store(List<Measurement> measurements) throws BigDataException {
        core.store(measurements);
    }

    @Override
    public List<Measurement> measurements(String thingId, Optional<String> name, Instant from, Instant to, int limit)
            throws BigDataException {
        return core.measurements(thingId, name, from, to, limit);
    }

    @Override
    public Aggregate aggregate(String thingId, Optional<String> name, Instant from, Instant to)
            throws BigDataException {
        return core.aggregate(thingId, name, from, to);
    }

    @Override
    public List<Aggregate> aggregates(String thingId, Optional<String> name, Instant from, Instant to,
                                      Duration bucket) throws BigDataException {
        return core.aggregates(thingId, name, from, to, bucket);
    }

    @Override
    public List<String> thingIds() throws BigDataException {
        return core.thingIds();
    }

    @Override
    public BigDataStatus status() {
        return core.status();
    }

    @Override
    public BigDataNode deploy(NodeRole role, String template, String reason) throws Exception {
        TaasResourcesManager taas = placement;
        if (taas == null) {
            throw new Exception("the TaaS Resources Manager is not running: install the betaas-taas feature");
        }
        VmInstance vm = taas.deploy(new VmRequest(template, REQUESTER));
        return new BigDataNode(vm.id(), role, vm.template(), vm.location(), vm.createdAt() == null
                ? Instant.now() : vm.createdAt(), reason);
    }

    @Override
    public void release(BigDataNode node) throws Exception {
        VmManager manager = vms;
        if (manager == null) {
            throw new Exception("the VM Manager is not running: install the betaas-taas feature");
        }
        if (manager.find(node.vmId()).isPresent()) {
            manager.destroy(node.vmId());
        } else if (!isHere(node)) {
            throw new Exception("its VM runs at " + node.location() + ", which this gateway's VM Manager does not"
                    + " reach: destroy it there (betaas:vm-destroy " + node.vmId() + ")");
        }
    }

    @Override
    public Optional<Boolean> exists(BigDataNode node) {
        VmManager manager = vms;
        if (manager == null) {
            return Optional.empty();
        }
        if (manager.find(node.vmId()).isPresent()) {
            return Optional.of(true);
        }
        // a VM placed on a peer is in the peer's VM Manager only: this one cannot tell
        return isHere(node) ? Optional.of(false) : Optional.empty();
    }

    private boolean isHere(BigDataNode node) {
        LocalGateway local = gateway;
        return local != null && local.identity().gatewayId().equals(node.location());
    }
}
