package org.betaas.taas.vm.libvirt.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

import org.betaas.api.instance.LocalGateway;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmStats;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmsUsage;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo;
import org.libvirt.LibvirtException;
import org.libvirt.MemoryStatistic;
import org.libvirt.NodeInfo;
import org.libvirt.StoragePool;
import org.libvirt.StoragePoolInfo;
import org.libvirt.event.DomainEvent;
import org.libvirt.event.LifecycleListener;
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
 * Runs this gateway's VMs on its hypervisor through libvirt (KVM where usable, QEMU/TCG otherwise).
 *
 * <p>A VM {@code <id>} is the domain {@code betaas-<id>}, with the template and the gateway that made it recorded
 * in the domain's metadata; domains another gateway made (several gateways on one libvirtd) are not listed.
 * {@link #stop} suspends the domain (its memory stays reserved, {@link #resume} continues at once); a domain
 * found shut off is started again by {@link #resume}.
 */
@Component(configurationPid = "org.betaas.vm.libvirt", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"driver=libvirt", "service.description=BETaaS VM driver for libvirt"})
@Designate(ocd = LibvirtConfiguration.class)
public final class LibvirtDriver implements VmDriver {

    static final String PREFIX = "betaas-";
    private static final Logger LOG = LoggerFactory.getLogger(LibvirtDriver.class);

    private final LibvirtConnection connection;
    private final TemplateRegistry templates;
    private final String domainType;
    private final int tbCacheMiB;
    private final Path consoleDir;
    private final Path diskDir;
    private final String storagePool;
    private final Map<String, long[]> cpuSamples = new ConcurrentHashMap<>();
    /** Per domain name: {nanoTime, cpuTime} at the last {@link #usage()}. */
    private final Map<String, long[]> usageSamples = new ConcurrentHashMap<>();
    /** Strong reference: JNA keeps callbacks weakly. */
    private final LifecycleListener lifecycle = this::onLifecycle;
    /** The connection and the capabilities read from it. */
    private volatile Object[] capabilities;
    private volatile BiConsumer<String, VmState> stateListener = (id, state) -> { };

    /**
     * This gateway's identity, recorded in each domain it makes (optional: betaas-taas resolves without it). Gateways
     * sharing one libvirtd list only their own domains, so one never adopts another's VMs.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile LocalGateway gateway;

    @Activate
    public LibvirtDriver(@Reference TemplateRegistry templates, LibvirtConfiguration config) {
        this.templates = templates;
        this.connection = new LibvirtConnection(config.uri(),
                Duration.ofSeconds(Math.max(1, config.answerTimeoutSeconds())), this::listen);
        String type = config.domainType() == null ? "auto" : config.domainType().trim();
        if (!List.of("auto", "kvm", "qemu").contains(type)) {
            LOG.warn("domainType '{}' in etc/org.betaas.vm.libvirt.cfg is not auto, kvm or qemu: using auto", type);
            type = "auto";
        }
        this.domainType = type;
        this.tbCacheMiB = Math.max(0, config.tbCacheMiB());
        String data = System.getProperty("karaf.data", "data");
        this.consoleDir = dir(config.consoleDir(), Paths.get(data, "betaas", "vm-consoles"));
        this.diskDir = dir(config.diskDir(), Paths.get(data, "betaas", "vm-disks"));
        this.storagePool = config.storagePool() == null ? "" : config.storagePool().trim();
    }

    /** Outside OSGi (benchmarks, tools): a driver for a URI. {@link #close()} it. */
    public static LibvirtDriver standalone(TemplateRegistry templates, String uri, String domainType, Path consoleDir,
                                           Path diskDir) {
        return new LibvirtDriver(templates, new LibvirtConfiguration() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return LibvirtConfiguration.class;
            }

            @Override
            public String uri() {
                return uri;
            }

            @Override
            public String domainType() {
                return domainType;
            }

            @Override
            public int tbCacheMiB() {
                return 32;
            }

            @Override
            public String consoleDir() {
                return consoleDir.toString();
            }

            @Override
            public String diskDir() {
                return diskDir.toString();
            }

            @Override
            public String storagePool() {
                return "default";
            }

            @Override
            public int answerTimeoutSeconds() {
                return 5;
            }
        });
    }

    /** The id of this gateway, "" when no gateway identity is installed. */
    private String owner() {
        LocalGateway g = gateway;
        try {
            return g == null ? "" : g.identity().gatewayId();
        } catch (RuntimeException e) {
            return "";
        }
    }

    /** Ends a {@link #standalone} driver. */
    public void close() {
        connection.close();
    }

    private static Path dir(String configured, Path fallback) {
        return (configured == null || configured.isBlank() ? fallback : Paths.get(configured.trim()))
                .toAbsolutePath().normalize();
    }

    @Deactivate
    private void deactivate() {
        connection.close();
    }

    @Override
    public String name() {
        return "libvirt";
    }

    /** The file the VM's serial console is logged to. */
    Path consoleLog(String vmId) {
        return consoleDir.resolve(PREFIX + vmId + ".console.log");
    }

    @Override
    public DriverStatus status() {
        try {
            return connection.read("asked for its version", c -> new DriverStatus(true, connection.uri(),
                    c.getType() + " " + version(c.getVersion()) + " via libvirt " + version(c.getLibVersion())));
        } catch (LibvirtException e) {
            return new DriverStatus(false, connection.uri(), "libvirt at " + connection.uri()
                    + " cannot report its version: " + e.getMessage());
        } catch (VmException e) {
            return new DriverStatus(false, connection.uri(), e.getMessage());
        }
    }

    /** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release. */
    static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }

    @Override
    public HostCapacity capacity() throws VmException {
        try {
            return connection.read("asked for its capacity", this::capacity);
        } catch (LibvirtException e) {
            throw new VmException("libvirt at " + connection.uri() + " cannot report capacity: " + e.getMessage(), e);
        }
    }

    private HostCapacity capacity(Connect c) throws LibvirtException {
        NodeInfo node = c.nodeInfo();
        int reservedVcpus = 0;
        long reservedKiB = 0;
        long reservedDiskMiB = 0;
        for (Domain d : allDomains(c)) {
            try {
                // Running domains hold the memory they were given; a BETaaS VM that is shut off will take
                // all of its memory when resumed; other shut-off domains are the operator's, not counted.
                DomainInfo info = d.getInfo();
                boolean betaas = d.getName().startsWith(PREFIX);
                if (d.isActive() == 1) {
                    reservedVcpus += info.nrVirtCpu;
                    reservedKiB += info.memory;
                } else if (betaas) {
                    reservedVcpus += info.nrVirtCpu;
                    reservedKiB += info.maxMem;
                }
                if (betaas) {
                    reservedDiskMiB += DomainXml.metadata(d.getXMLDesc(0)).map(DomainXml.Metadata::diskMiB)
                            .orElse(0L);
                }
            } finally {
                d.free();
            }
        }
        long[] storage = storage(c);
        // reserved storage is what the VMs' disks may take, as the memory is what they were given: the pool's
        // or file system's current use is measured use (deploy counts it, the placement forecasts it)
        return new HostCapacity(node.cpus, node.memory / 1024, storage[0], reservedVcpus, reservedKiB / 1024,
                reservedDiskMiB);
    }

    /**
     * Capacity and use (MiB) of the storage pool, or of the disk folder's file system when there is no pool.
     * VMs' overlays are thin, so what they may grow to (their template's disk) is counted on top of the use.
     */
    private long[] storage(Connect c) {
        if (!storagePool.isEmpty()) {
            try {
                StoragePool pool = c.storagePoolLookupByName(storagePool);
                try {
                    StoragePoolInfo info = pool.getInfo();
                    return new long[] {info.capacity >> 20, info.allocation >> 20};
                } finally {
                    pool.free();
                }
            } catch (LibvirtException e) {
                LOG.debug("No storage pool '{}': reporting the disk folder's file system", storagePool);
            }
        }
        try {
            Path p = diskDir;
            while (p != null && !Files.exists(p)) {
                p = p.getParent();
            }
            FileStore store = Files.getFileStore(p == null ? Paths.get("/") : p);
            return new long[] {store.getTotalSpace() >> 20, (store.getTotalSpace() - store.getUsableSpace()) >> 20};
        } catch (IOException e) {
            return new long[] {0, 0};
        }
    }

    /** The storage's use now (MiB), read as the other reads of libvirtd's state are. */
    private long storageInUseMiB() throws VmException {
        try {
            return connection.read("asked for its storage", this::storage)[1];
        } catch (LibvirtException e) {
            throw new VmException("libvirt at " + connection.uri() + " cannot report its storage: " + e.getMessage(),
                    e);
        }
    }

    private static List<Domain> allDomains(Connect c) throws LibvirtException {
        List<Domain> domains = new ArrayList<>();
        for (int id : c.listDomains()) {
            try {
                domains.add(c.domainLookupByID(id));
            } catch (LibvirtException e) {
                // stopped between the listing and the lookup
            }
        }
        for (String name : c.listDefinedDomains()) {
            try {
                domains.add(c.domainLookupByName(name));
            } catch (LibvirtException e) {
                // undefined between the listing and the lookup
            }
        }
        return domains;
    }

    @Override
    public VmInstance deploy(VmTemplate template, String vmId) throws VmException {
        return deploy(template, vmId, null);
    }

    /**
     * The payload is copied beside the VM's disk ({@code betaas-<id>.payload}, readable by the QEMU user, removed
     * with the VM) and handed to the guest through QEMU's fw_cfg as {@value DomainXml#PAYLOAD_ENTRY}.
     */
    @Override
    public VmInstance deploy(VmTemplate template, String vmId, Path payload) throws VmException {
        if (payload != null && !Files.isRegularFile(payload)) {
            throw new VmException("The application payload " + payload + " for VM '" + vmId + "' is not a readable "
                    + "file");
        }
        if (!DomainXml.NAME.matcher(vmId).matches() || vmId.length() > 56) {
            throw new VmException("VM id '" + vmId + "' is not valid: use up to 56 lower-case letters, digits, "
                    + "'.', '_' or '-'");
        }
        Connect c = connection.get();
        String name = PREFIX + vmId;
        Capabilities caps = capabilities(c);
        List<String> withXml = template.architectures().stream().sorted()
                .filter(a -> templates.domainXml(template.name(), a).isPresent()).toList();
        if (withXml.isEmpty()) {
            throw new VmException("Template '" + template.name() + "' has no libvirt domain XML (domain.<arch> in "
                    + "its descriptor): it cannot run on libvirt");
        }
        String arch = caps.chooseArch(withXml);
        if (arch == null) {
            throw new VmException("Template '" + template.name() + "' needs " + String.join(" or ", withXml)
                    + " but libvirt at " + connection.uri() + " runs only " + caps.domainTypes().keySet()
                    + " guests" + (withXml.contains("aarch64") ? " (install qemu-system-arm for aarch64)" : ""));
        }
        String type = caps.domainType(arch, domainType);
        String xml = templates.domainXml(template.name(), arch).orElseThrow();
        Path image = image(template, arch);
        HostCapacity capacity = capacity();
        if (template.memoryMiB() > capacity.freeMemoryMiB()) {
            throw new VmException("Not enough memory for '" + template.name() + "': it needs "
                    + template.memoryMiB() + " MiB, this host has " + Math.max(0, capacity.freeMemoryMiB())
                    + " MiB left of " + capacity.memoryMiB() + " MiB (destroy a VM or pick a lighter template)");
        }
        long freeStorageMiB = capacity.freeStorageMiB() - storageInUseMiB();
        if (template.diskMiB() > freeStorageMiB) {
            throw new VmException("Not enough storage for '" + template.name() + "': it needs "
                    + template.diskMiB() + " MiB, " + Math.max(0, freeStorageMiB) + " MiB left");
        }
        Path console = consoleLog(vmId);
        Path disk = diskDir.resolve(name + ".qcow2");
        Map<String, String> values = new HashMap<>();
        values.put("name", name);
        values.put("uuid", UUID.randomUUID().toString());
        values.put("template", template.name());
        values.put("kind", template.kind().name().toLowerCase().replace('_', '-'));
        values.put("vcpus", Integer.toString(template.vcpus()));
        values.put("memoryMiB", Long.toString(template.memoryMiB()));
        values.put("arch", arch);
        values.put("image", image.toString());
        values.put("disk", disk.toString());
        values.put("consoleLog", console.toString());
        Path payloadCopy = payload == null ? null : payloadFile(vmId);
        Instant created = Instant.now();
        String domainXml;
        try {
            domainXml = DomainXml.render(xml, values, type, tbCacheMiB, new DomainXml.Metadata(vmId,
                    template.name(), values.get("kind"), created, template.diskMiB(), owner()),
                    payloadCopy == null ? null : payloadCopy.toString());
        } catch (IllegalArgumentException e) {
            throw new VmException("Template '" + template.name() + "' cannot be rendered for " + arch + ": "
                    + e.getMessage());
        }
        try {
            Files.createDirectories(consoleDir);
            Files.deleteIfExists(console);
        } catch (IOException e) {
            throw new VmException("Cannot prepare the console log " + console + ": " + e.getMessage(), e);
        }
        if (payloadCopy != null) {
            try {
                Files.createDirectories(diskDir);
                Files.copy(payload, payloadCopy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                // QEMU runs as its own user: it must read the file (libvirt does not relabel fw_cfg files)
                payloadCopy.toFile().setReadable(true, false);
            } catch (IOException e) {
                deleteQuietly(payloadCopy);
                throw new VmException("Cannot copy the application payload " + payload + " for VM '" + vmId
                        + "' to " + payloadCopy + ": " + e.getMessage(), e);
            }
        }
        boolean overlay = xml.contains("${disk}");
        if (overlay) {
            try {
                createOverlay(image, disk, template.diskMiB());
            } catch (VmException e) {
                deleteQuietly(payloadCopy);
                throw e;
            }
        }
        Domain d;
        try {
            d = c.domainDefineXML(domainXml);
        } catch (LibvirtException e) {
            deleteQuietly(payloadCopy);
            deleteQuietly(overlay ? disk : null);
            throw new VmException("libvirt refused the domain of '" + template.name() + "': " + e.getMessage(), e);
        }
        try {
            d.create();
        } catch (LibvirtException e) {
            undefineQuietly(d);
            deleteQuietly(payloadCopy);
            deleteQuietly(overlay ? disk : null);
            throw new VmException("VM '" + vmId + "' of '" + template.name() + "' did not start: " + e.getMessage()
                    + (Files.exists(console) ? " (console: " + console + ")" : ""), e);
        } finally {
            free(d);
        }
        LOG.info("Deployed VM {} from template {} as {} domain {} ({}, {} vCPU, {} MiB)", vmId, template.name(),
                type, name, arch, template.vcpus(), template.memoryMiB());
        return new VmInstance(vmId, template.name(), name(), hostName(c), VmState.RUNNING, created,
                template.vcpus(), template.memoryMiB());
    }

    /** The hypervisor's capabilities, read once per connection (they change only with libvirtd itself). */
    private Capabilities capabilities(Connect c) throws VmException {
        Object[] cached = capabilities;
        if (cached != null && cached[0] == c) {
            return (Capabilities) cached[1];
        }
        try {
            Capabilities caps = Capabilities.parse(connection.read("asked for its capabilities",
                    ignored -> c.getCapabilities()));
            capabilities = new Object[] {c, caps};
            return caps;
        } catch (LibvirtException e) {
            throw new VmException("libvirt at " + connection.uri() + " cannot report its capabilities: "
                    + e.getMessage(), e);
        }
    }

    /** The template's image for an architecture, resolved against the template folder; it must exist. */
    private Path image(VmTemplate template, String arch) throws VmException {
        Path folder = templates.folder().orElse(Paths.get("."));
        Path image = folder.resolve(template.image().replace("${arch}", arch)).toAbsolutePath().normalize();
        if (!Files.exists(image)) {
            throw new VmException("Image of template '" + template.name() + "' is missing: " + image
                    + (template.name().contains("-test-")
                    ? " (build the test guests: vm-templates/build-test-guests.sh)"
                    : " (build it as vm-templates/README.md describes)"));
        }
        return image;
    }

    private static void createOverlay(Path base, Path disk, long diskMiB) throws VmException {
        try {
            Files.createDirectories(disk.getParent());
            Process p = new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", "-F", "qcow2",
                    "-b", base.toString(), disk.toString(), diskMiB + "M").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                deleteQuietly(disk);
                throw new VmException("Cannot create the disk " + disk + " on " + base + ": " + out.trim());
            }
        } catch (IOException e) {
            throw new VmException("Cannot create the disk " + disk + " (is qemu-utils installed?): "
                    + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("Interrupted while creating " + disk);
        }
    }

    /** Where a VM's application payload is kept while it exists. */
    private Path payloadFile(String vmId) {
        return diskDir.resolve(PREFIX + vmId + ".payload");
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                LOG.warn("Cannot delete {}: {}", p, e.getMessage());
            }
        }
    }

    private static void undefineQuietly(Domain d) {
        try {
            if (d.isActive() == 1) {
                d.destroy();
            }
        } catch (LibvirtException e) {
            LOG.debug("Destroying a domain that did not start: {}", e.getMessage());
        }
        try {
            undefine(d);
        } catch (LibvirtException e) {
            LOG.warn("A domain that did not start could not be undefined: {}", e.getMessage());
        }
    }

    /** Undefines with its managed save image and UEFI variables, where the hypervisor knows these flags. */
    private static void undefine(Domain d) throws LibvirtException {
        try {
            d.undefine(1 | 4); // VIR_DOMAIN_UNDEFINE_MANAGED_SAVE | VIR_DOMAIN_UNDEFINE_NVRAM
        } catch (LibvirtException e) {
            d.undefine();
        }
    }

    private static void free(Domain d) {
        try {
            d.free();
        } catch (LibvirtException e) {
            LOG.debug("free: {}", e.getMessage());
        }
    }

    private static String hostName(Connect c) {
        try {
            return c.getHostName();
        } catch (LibvirtException e) {
            return "localhost";
        }
    }

    @Override
    public List<VmInstance> list() throws VmException {
        try {
            return connection.read("asked for its domains", this::list);
        } catch (LibvirtException e) {
            throw new VmException("libvirt at " + connection.uri() + " cannot list its domains: " + e.getMessage(), e);
        }
    }

    private List<VmInstance> list(Connect c) throws LibvirtException {
        List<VmInstance> vms = new ArrayList<>();
        String owner = owner();
        String host = hostName(c);
        for (Domain d : allDomains(c)) {
            try {
                String name = d.getName();
                if (!name.startsWith(PREFIX)) {
                    continue;
                }
                Optional<DomainXml.Metadata> meta = DomainXml.metadata(d.getXMLDesc(0));
                if (meta.isPresent() && meta.get().ownedByAnother(owner)) {
                    continue; // another gateway's VM on a shared libvirtd
                }
                DomainInfo info = d.getInfo();
                vms.add(new VmInstance(name.substring(PREFIX.length()),
                        meta.map(DomainXml.Metadata::template).orElse(""), name(), host, state(info.state),
                        meta.map(DomainXml.Metadata::created).orElse(Instant.EPOCH), info.nrVirtCpu,
                        info.maxMem / 1024));
            } catch (LibvirtException | IllegalArgumentException e) {
                LOG.debug("Skipping a domain that changed while listing: {}", e.getMessage());
            } finally {
                free(d);
            }
        }
        return vms;
    }

    static VmState state(DomainInfo.DomainState s) {
        return switch (s) {
            case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> VmState.RUNNING;
            case VIR_DOMAIN_PAUSED, VIR_DOMAIN_PMSUSPENDED -> VmState.STOPPED;
            case VIR_DOMAIN_SHUTOFF, VIR_DOMAIN_SHUTDOWN -> VmState.DEFINED;
            default -> VmState.FAILED;
        };
    }

    /** Calls the operation with the VM's domain, freeing it afterwards; a VM that does not exist is an error. */
    private interface DomainOp<T> {
        T apply(Domain d) throws LibvirtException, VmException;
    }

    private <T> T withDomain(String vmId, String what, DomainOp<T> op) throws VmException {
        return onDomain(connection.get(), vmId, what, op);
    }

    private <T> T onDomain(Connect c, String vmId, String what, DomainOp<T> op) throws VmException {
        Domain d;
        try {
            d = c.domainLookupByName(PREFIX + vmId);
        } catch (LibvirtException e) {
            throw new VmException("No VM '" + vmId + "' on libvirt at " + connection.uri()
                    + " (betaas:vm-list shows the VMs)");
        }
        try {
            return op.apply(d);
        } catch (LibvirtException e) {
            throw new VmException("Cannot " + what + " VM '" + vmId + "': " + e.getMessage(), e);
        } finally {
            free(d);
        }
    }

    @Override
    public void stop(String vmId) throws VmException {
        withDomain(vmId, "stop", d -> {
            VmState s = state(d.getInfo().state);
            if (s == VmState.RUNNING) {
                d.suspend();
                LOG.info("Stopped (suspended) VM {}", vmId);
            } else if (s != VmState.STOPPED) {
                throw new VmException("VM '" + vmId + "' is not running (" + s + "): nothing to stop");
            }
            return null;
        });
    }

    @Override
    public void resume(String vmId) throws VmException {
        withDomain(vmId, "resume", d -> {
            VmState s = state(d.getInfo().state);
            if (s == VmState.STOPPED) {
                d.resume();
            } else if (s == VmState.DEFINED || s == VmState.FAILED) {
                d.create();
            }
            LOG.info("Resumed VM {}", vmId);
            return null;
        });
    }

    @Override
    public void destroy(String vmId) throws VmException {
        withDomain(vmId, "destroy", d -> {
            if (d.isActive() == 1) {
                d.destroy();
            }
            undefine(d);
            return null;
        });
        deleteQuietly(diskDir.resolve(PREFIX + vmId + ".qcow2"));
        deleteQuietly(payloadFile(vmId));
        deleteQuietly(consoleLog(vmId));
        cpuSamples.remove(vmId);
        LOG.info("Destroyed VM {}", vmId);
    }

    @Override
    public Optional<VmStats> stats(String vmId) throws VmException {
        try {
            return Optional.of(connection.read("asked for the statistics of " + PREFIX + vmId,
                    c -> onDomain(c, vmId, "read the statistics of", d -> stats(vmId, d))));
        } catch (LibvirtException e) {
            throw new VmException("Cannot read the statistics of VM '" + vmId + "': " + e.getMessage(), e);
        }
    }

    private VmStats stats(String vmId, Domain d) throws LibvirtException {
        DomainInfo info = d.getInfo();
        long now = System.nanoTime();
        long[] previous = cpuSamples.put(vmId, new long[] {now, info.cpuTime});
        if (previous == null || now - previous[0] > TimeUnit.SECONDS.toNanos(60)) {
            // no recent sample: take a short one so the first answer has a CPU figure too
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            previous = new long[] {now, info.cpuTime};
            info = d.getInfo();
            now = System.nanoTime();
            cpuSamples.put(vmId, new long[] {now, info.cpuTime});
        }
        double percent = now > previous[0] ? 100.0 * (info.cpuTime - previous[1]) / (now - previous[0]) : -1;
        return new VmStats(info.cpuTime, percent, info.memory / 1024, info.maxMem / 1024, -1);
    }

    /**
     * What the domains counted in {@link #capacity()}'s reserved figures use now: every running domain's resident
     * memory (virDomainMemoryStats "rss", its current memory where rss is unknown) and cores busy, and the bytes on
     * disk of BETaaS domains' own volumes (files named after the domain, not shared template images). Each domain
     * is capped at what capacity() reserves for it (its memory, vCPUs, template disk): what QEMU uses beyond that
     * is not reserved, so it stays in the host's background use. The same set as capacity() (not only this
     * gateway's domains): on a libvirtd shared by several gateways the host's measured use holds all of their
     * QEMU processes and capacity() reserves all of them, so all of them would otherwise be counted twice.
     *
     * <p>CPU is the CPU time used between two calls over the wall-clock time between them; without a sample of
     * the last 60 s, a second one is taken 200 ms later.
     */
    @Override
    public VmsUsage usage() throws VmException {
        try {
            return connection.read("asked for its domains' use", this::usage);
        } catch (LibvirtException e) {
            throw new VmException("libvirt at " + connection.uri() + " cannot list its domains: " + e.getMessage(), e);
        }
    }

    private VmsUsage usage(Connect c) throws LibvirtException {
        long memoryKiB = 0;
        long storageBytes = 0;
        Map<String, long[]> now = new HashMap<>(); // name -> {nanoTime, cpuTime, vcpus}
        for (Domain d : allDomains(c)) {
            try {
                String name = d.getName();
                DomainInfo info = d.getInfo();
                if (name.startsWith(PREFIX)) {
                    String xml = d.getXMLDesc(0);
                    long diskBytes = DomainXml.metadata(xml).map(DomainXml.Metadata::diskMiB).orElse(0L) << 20;
                    storageBytes += Math.min(diskBytes, ownVolumesBytes(d, name, xml));
                }
                if (d.isActive() == 1) {
                    memoryKiB += Math.min(info.memory, residentKiB(d, info));
                    now.put(name, new long[] {System.nanoTime(), info.cpuTime, info.nrVirtCpu});
                }
            } catch (LibvirtException | IllegalArgumentException e) {
                LOG.debug("Skipping a domain that changed while reading its use: {}", e.getMessage());
            } finally {
                free(d);
            }
        }
        Map<String, long[]> before = new HashMap<>();
        long recent = System.nanoTime() - TimeUnit.SECONDS.toNanos(60);
        for (Map.Entry<String, long[]> e : now.entrySet()) {
            long[] previous = usageSamples.get(e.getKey());
            if (previous != null && previous[0] >= recent && previous[0] < e.getValue()[0]) {
                before.put(e.getKey(), previous);
            }
        }
        if (before.size() < now.size()) {
            // some domain has no recent sample: sample them all again shortly, so the first answer has CPU too
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            before = now;
            now = cpuTimes(c, before.keySet());
        }
        double busy = 0;
        for (Map.Entry<String, long[]> e : now.entrySet()) {
            long[] previous = before.get(e.getKey());
            long[] current = e.getValue();
            if (previous != null && current[0] > previous[0] && current[1] >= previous[1]) {
                busy += Math.min(current[2], (double) (current[1] - previous[1]) / (current[0] - previous[0]));
            }
        }
        usageSamples.keySet().retainAll(now.keySet());
        usageSamples.putAll(now);
        return new VmsUsage(busy, memoryKiB / 1024, storageBytes >> 20);
    }

    /** {nanoTime, cpuTime, vcpus} of the named running domains (those gone since are left out). */
    private static Map<String, long[]> cpuTimes(Connect c, Set<String> names) {
        Map<String, long[]> times = new HashMap<>();
        for (String name : names) {
            try {
                Domain d = c.domainLookupByName(name);
                try {
                    DomainInfo info = d.getInfo();
                    times.put(name, new long[] {System.nanoTime(), info.cpuTime, info.nrVirtCpu});
                } finally {
                    free(d);
                }
            } catch (LibvirtException e) {
                // gone in between
            }
        }
        return times;
    }

    /** VIR_DOMAIN_MEMORY_STAT_RSS: resident set size of the hypervisor process, KiB. */
    private static final int STAT_RSS = 7;

    /** The domain's resident memory, KiB: the hypervisor's "rss" statistic, its current memory otherwise. */
    private static long residentKiB(Domain d, DomainInfo info) {
        try {
            for (MemoryStatistic m : d.memoryStats(16)) {
                if (m.getTag() == STAT_RSS && m.getValue() > 0) {
                    return m.getValue();
                }
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("No memory statistics: using the domain's current memory ({})", e.getMessage());
        }
        return info.memory;
    }

    /**
     * Bytes on disk of a domain's own volumes: its disks whose file is named after the domain (the overlays
     * {@link #deploy} makes, {@code betaas-<id>.qcow2}); shared template images are not the VM's.
     */
    private static long ownVolumesBytes(Domain d, String name, String xml) {
        long bytes = 0;
        for (String file : DomainXml.diskFiles(xml)) {
            Path p = Paths.get(file).getFileName();
            if (p == null || !p.toString().startsWith(name + ".")) {
                continue;
            }
            try {
                bytes += Math.max(0, d.blockInfo(file).getAllocation());
            } catch (LibvirtException | RuntimeException e) {
                try {
                    bytes += Files.size(Paths.get(file)); // qcow2 files are not sparse: close to what they take
                } catch (IOException | RuntimeException ignored) {
                    // gone or unreadable: nothing on disk we can tell of
                }
            }
        }
        return bytes;
    }

    @Override
    public void setStateListener(BiConsumer<String, VmState> listener) {
        this.stateListener = listener == null ? (id, state) -> { } : listener;
    }

    private void listen(Connect c) {
        try {
            c.addLifecycleListener(lifecycle);
        } catch (LibvirtException e) {
            LOG.warn("libvirt at {} sends no domain events ({}): VM states are polled only", connection.uri(),
                    e.getMessage());
        }
    }

    private int onLifecycle(Domain d, DomainEvent event) {
        try {
            String name = d.getName();
            if (!name.startsWith(PREFIX)) {
                return 0;
            }
            VmState state = switch (event.getType()) {
                case STARTED, RESUMED -> VmState.RUNNING;
                case SUSPENDED, PMSUSPENDED -> VmState.STOPPED;
                case STOPPED, SHUTDOWN -> VmState.DEFINED;
                case CRASHED -> VmState.FAILED;
                case UNDEFINED -> VmState.DESTROYED;
                default -> null;
            };
            LOG.debug("libvirt event {} for {}", event, name);
            if (state != null) {
                stateListener.accept(name.substring(PREFIX.length()), state);
            }
        } catch (LibvirtException | RuntimeException e) {
            LOG.debug("Ignoring a libvirt event: {}", e.getMessage());
        }
        return 0;
    }
}
