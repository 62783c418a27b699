package org.betaas.taas.vm.internal;

import java.nio.file.Paths;
import java.security.SecureRandom;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmManager;
import org.betaas.api.vm.VmRequest;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VM Manager of this gateway: deploys templates on its drivers (any {@link VmDriver} service, by its
 * {@code driver} property), keeps a record of every VM in H2 and reconciles the records with what the drivers
 * report — when a driver appears (after a restart), on {@link #list()} when the last look is older than the
 * configured interval, and on the drivers' state events.
 */
@Component(service = VmManager.class, configurationPid = "org.betaas.vm.manager",
        configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS VM Manager")
@Designate(ocd = VmManagerConfiguration.class)
public final class PersistentVmManager implements VmManager {

    private static final Logger LOG = LoggerFactory.getLogger(PersistentVmManager.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TemplateRegistry templates;
    private final Map<String, VmDriver> drivers = new ConcurrentHashMap<>();
    private final Map<String, Long> lastReconciled = new ConcurrentHashMap<>();
    /** When each driver was last asked, answered or not: a driver that cannot answer is asked again as rarely. */
    private final Map<String, Long> lastAsked = new ConcurrentHashMap<>();
    /** Why each driver that cannot answer failed last, so that the warning is logged when that changes only. */
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private final ExecutorService background = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "betaas-vm-manager");
        t.setDaemon(true);
        return t;
    });
    private final long reconcileNanos;
    private final String jdbcUrl;
    private volatile VmRecords records;
    private volatile String problem;

    @Activate
    public PersistentVmManager(@Reference TemplateRegistry templates, VmManagerConfiguration config) {
        this.templates = templates;
        this.reconcileNanos = TimeUnit.SECONDS.toNanos(Math.max(0, config.reconcileSeconds()));
        this.jdbcUrl = config.jdbcUrl() == null || config.jdbcUrl().isBlank()
                ? "jdbc:h2:file:" + Paths.get(System.getProperty("karaf.data", "data"), "betaas", "vms")
                .toAbsolutePath()
                : config.jdbcUrl().trim();
        try {
            records = new VmRecords(jdbcUrl);
            LOG.info("VM records in {}: {} VMs known", jdbcUrl, records.all().size());
        } catch (SQLException e) {
            problem = "The VM records at " + jdbcUrl + " cannot be opened: " + e.getMessage()
                    + " (fix jdbcUrl in etc/org.betaas.vm.manager.cfg)";
            LOG.error(problem);
        }
        // drivers bound before the constructor ran are reconciled now
        drivers.keySet().forEach(this::reconcileLater);
    }

    /** Outside OSGi (benchmarks, tools): a VM Manager over the given drivers, records at jdbcUrl. Close it. */
    public static PersistentVmManager standalone(TemplateRegistry templates, String jdbcUrl, VmDriver... drivers) {
        PersistentVmManager m = new PersistentVmManager(templates, new VmManagerConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return VmManagerConfiguration.class;
            }

            @Override
            public String jdbcUrl() {
                return jdbcUrl;
            }

            @Override
            public int reconcileSeconds() {
                return 10;
            }
        });
        for (VmDriver d : drivers) {
            m.addDriver(d, Map.of("driver", d.name()));
        }
        return m;
    }

    /** Ends a {@link #standalone} VM Manager. */
    public void close() {
        deactivate();
    }

    @Deactivate
    private void deactivate() {
        drivers.values().forEach(d -> d.setStateListener(null));
        background.shutdownNow();
        try {
            background.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (records != null) {
            records.close();
        }
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addDriver(VmDriver driver, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault("driver", driver.name()));
        drivers.put(name, driver);
        driver.setStateListener((id, state) -> onState(name, id, state));
        reconcileLater(name);
    }

    void removeDriver(VmDriver driver, Map<String, Object> properties) {
        String name = String.valueOf(properties.getOrDefault("driver", driver.name()));
        drivers.remove(name, driver);
        lastReconciled.remove(name);
        lastAsked.remove(name);
        failing.remove(name);
    }

    /** Whether the driver's VMs have been reconciled at least once since it appeared. */
    boolean reconciled(String driver) {
        return lastReconciled.containsKey(driver);
    }

    private void reconcileLater(String driver) {
        if (records == null || background.isShutdown()) {
            return;
        }
        try {
            background.execute(() -> reconcile(driver));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // deactivating
        }
    }

    /** Brings the records of one driver's VMs in line with what it reports; a driver that cannot answer waits. */
    void reconcile(String driverName) {
        VmDriver driver = drivers.get(driverName);
        VmRecords db = records;
        if (driver == null || db == null) {
            return;
        }
        lastAsked.put(driverName, System.nanoTime());
        try {
            Reconciliation r = Reconciliation.of(driverName, db.all(), driver.list());
            for (VmInstance vm : r.changed()) {
                db.update(vm);
            }
            for (VmInstance vm : r.adopted()) {
                db.save(vm);
                LOG.warn("Adopted VM {} (template {}) found on driver {} without a record", vm.id(), vm.template(),
                        driverName);
            }
            for (VmInstance vm : r.vanished()) {
                if (!db.update(vm)) {
                    continue; // destroyed while the driver was asked
                }
                LOG.warn("VM {} (template {}) is no longer on driver {}: marked VANISHED (betaas:vm-destroy {} "
                        + "forgets it)", vm.id(), vm.template(), driverName, vm.id());
            }
            lastReconciled.put(driverName, System.nanoTime());
            if (failing.remove(driverName) != null) {
                LOG.info("Driver {} answers again: its VMs are reconciled", driverName);
            }
        } catch (VmException e) {
            // a gateway without a hypervisor, or with its cloud down, would otherwise warn at every status period
            String reason = String.valueOf(e.getMessage());
            if (!reason.equals(failing.put(driverName, reason))) {
                LOG.warn("Cannot reconcile the VMs of driver {}: {} (asked again every {} s; logged again when "
                        + "the reason changes)", driverName, reason, TimeUnit.NANOSECONDS.toSeconds(reconcileNanos));
            } else {
                LOG.debug("Still cannot reconcile the VMs of driver {}: {}", driverName, reason);
            }
        } catch (SQLException e) {
            LOG.error("Cannot update the VM records: {}", e.getMessage());
        }
    }

    private void onState(String driver, String vmId, VmState state) {
        VmRecords db = records;
        if (db == null) {
            return;
        }
        try {
            Optional<VmInstance> vm = db.find(vmId);
            if (vm.isPresent() && vm.get().driver().equals(driver) && vm.get().state() != state) {
                VmState recorded = state == VmState.DESTROYED ? VmState.VANISHED : state;
                if (!db.update(vm.get().withState(recorded))) {
                    return; // destroyed meanwhile
                }
                LOG.info("VM {} is now {} ({} reported it)", vmId, recorded, driver);
            }
        } catch (SQLException e) {
            LOG.error("Cannot update the record of VM {}: {}", vmId, e.getMessage());
        }
    }

    private VmRecords db() throws VmException {
        VmRecords db = records;
        if (db == null) {
            throw new VmException(problem);
        }
        return db;
    }

    /** A new VM id: the template's name and six hex digits, short enough for every driver's naming rules. */
    static String newId(String template) {
        String base = template.length() > 40 ? template.substring(0, 40) : template;
        return base + "-" + String.format("%06x", RANDOM.nextInt(1 << 24));
    }

    @Override
    public VmInstance deploy(VmRequest request, String driverName) throws VmException {
        return deploy(request, driverName, null);
    }

    @Override
    public VmInstance deploy(VmRequest request, String driverName, java.nio.file.Path payload) throws VmException {
        VmTemplate template = templates.find(request.template()).orElseThrow(() -> new VmException(
                "Unknown template '" + request.template() + "': betaas:template-list shows the templates"
                        + (templates.problems().isEmpty() ? "" : " (some template files have problems)")));
        VmDriver driver = drivers.get(driverName);
        if (driver == null) {
            throw new VmException("No VM driver '" + driverName + "' on this gateway (installed: "
                    + (drivers.isEmpty() ? "none" : String.join(", ", drivers.keySet().stream().sorted().toList()))
                    + ")");
        }
        VmRecords db = db();
        String id = newId(template.name());
        VmInstance pending = new VmInstance(id, template.name(), driverName, "", VmState.DEFINED, Instant.now(),
                template.vcpus(), template.memoryMiB());
        try {
            db.save(pending);
        } catch (SQLException e) {
            throw new VmException("Cannot record VM " + id + ": " + e.getMessage(), e);
        }
        VmInstance vm;
        try {
            vm = payload == null ? driver.deploy(template, id) : driver.deploy(template, id, payload);
        } catch (VmException | RuntimeException e) {
            forget(db, id);
            LOG.warn("Deploying {} on {} for {} failed: {}", template.name(), driverName, request.requester(),
                    e.getMessage());
            if (e instanceof VmException ve) {
                throw ve;
            }
            throw new VmException("Driver " + driverName + " failed to deploy '" + template.name() + "': " + e, e);
        }
        // as recorded: the database keeps milliseconds
        vm = new VmInstance(vm.id(), vm.template(), vm.driver(), vm.location(), vm.state(),
                vm.createdAt().truncatedTo(java.time.temporal.ChronoUnit.MILLIS), vm.vcpus(), vm.memoryMiB());
        try {
            db.save(vm);
            if (payload != null) {
                db.savePayload(id, payload.toAbsolutePath().toString());
            }
        } catch (SQLException e) {
            LOG.error("VM {} runs but its record could not be updated: {}", id, e.getMessage());
        }
        LOG.info("VM {} of template {} deployed on {} for {}", id, template.name(), driverName, request.requester());
        return vm;
    }

    private static void forget(VmRecords db, String id) {
        try {
            db.delete(id);
        } catch (SQLException e) {
            LOG.error("Cannot remove the record of VM {}: {}", id, e.getMessage());
        }
    }

    @Override
    public List<VmInstance> list() {
        VmRecords db = records;
        if (db == null) {
            return List.of();
        }
        long now = System.nanoTime();
        for (String driver : drivers.keySet()) {
            Long last = lastAsked.get(driver);
            if (last == null || now - last >= reconcileNanos) {
                if (failing.containsKey(driver)) {
                    // it did not answer last time (a cloud out of reach takes requestTimeoutSeconds to fail): the
                    // caller (status, dependability, shell) gets the records without waiting for it
                    lastAsked.put(driver, now);
                    reconcileLater(driver);
                } else {
                    reconcile(driver);
                }
            }
        }
        try {
            return db.all();
        } catch (SQLException e) {
            LOG.error("Cannot read the VM records: {}", e.getMessage());
            return List.of();
        }
    }

    @Override
    public Optional<VmInstance> find(String vmId) {
        try {
            return records == null ? Optional.empty() : records.find(vmId);
        } catch (SQLException e) {
            LOG.error("Cannot read the VM records: {}", e.getMessage());
            return Optional.empty();
        }
    }

    private VmInstance known(String vmId) throws VmException {
        return find(vmId).orElseThrow(() -> new VmException("No VM '" + vmId
                + "' on this gateway (betaas:vm-list shows the VMs)"));
    }

    private VmDriver driverOf(VmInstance vm) throws VmException {
        VmDriver d = drivers.get(vm.driver());
        if (d == null) {
            throw new VmException("VM '" + vm.id() + "' runs on driver " + vm.driver()
                    + ", which is not installed now");
        }
        return d;
    }

    @Override
    public void stop(String vmId) throws VmException {
        VmInstance vm = known(vmId);
        driverOf(vm).stop(vmId);
        update(vm.withState(VmState.STOPPED));
    }

    @Override
    public void resume(String vmId) throws VmException {
        VmInstance vm = known(vmId);
        driverOf(vm).resume(vmId);
        update(vm.withState(VmState.RUNNING));
    }

    @Override
    public void destroy(String vmId) throws VmException {
        VmInstance vm = known(vmId);
        if (vm.state() != VmState.VANISHED) {
            driverOf(vm).destroy(vmId);
        }
        forget(db(), vmId);
        LOG.info("VM {} of template {} destroyed", vmId, vm.template());
    }

    @Override
    public Optional<java.nio.file.Path> payload(String vmId) {
        VmRecords db = records;
        try {
            return db == null ? Optional.empty() : db.payload(vmId).map(java.nio.file.Path::of)
                    .filter(java.nio.file.Files::isReadable);
        } catch (SQLException e) {
            LOG.error("Cannot read the payload record of VM {}: {}", vmId, e.getMessage());
            return Optional.empty();
        }
    }

    @Override
    public void replaced(String oldId, String newId) throws VmException {
        if (oldId.equals(newId) || current(newId).equals(oldId)) {
            throw new VmException("VM " + newId + " cannot replace " + oldId + ": that would make a loop");
        }
        try {
            db().saveReplacement(oldId, newId);
        } catch (SQLException e) {
            throw new VmException("Cannot record that VM " + newId + " replaces " + oldId + ": " + e.getMessage(), e);
        }
        LOG.info("VM {} replaces VM {}", newId, oldId);
    }

    @Override
    public String current(String vmId) {
        VmRecords db = records;
        String id = vmId;
        try {
            // bounded: each re-placement is one hop, and replaced() refuses loops
            for (int hops = 0; db != null && hops < 1000; hops++) {
                Optional<String> next = db.replacement(id);
                if (next.isEmpty()) {
                    break;
                }
                id = next.get();
            }
        } catch (SQLException e) {
            LOG.error("Cannot read the re-placements of VM {}: {}", vmId, e.getMessage());
        }
        return id;
    }

    @Override
    public Optional<org.betaas.api.vm.VmStats> stats(String vmId) throws VmException {
        VmInstance vm = known(vmId);
        return driverOf(vm).stats(vmId);
    }

    private void update(VmInstance vm) throws VmException {
        try {
            db().update(vm);
        } catch (SQLException e) {
            throw new VmException("VM " + vm.id() + " is " + vm.state() + " but its record could not be updated: "
                    + e.getMessage(), e);
        }
    }
}
