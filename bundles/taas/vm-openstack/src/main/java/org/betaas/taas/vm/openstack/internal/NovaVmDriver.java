package org.betaas.taas.vm.openstack.internal;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmState;
import org.betaas.api.vm.VmTemplate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs VMs on a remote OpenStack cloud through Nova, the paper's way: a VM is stopped rather than destroyed, a
 * stopped VM of the same template is started again for the next deploy, and stopped VMs are destroyed once
 * they have been idle for the configured time. At most the configured number of remote VMs exist at a time.
 * <p>
 * Ids: each server carries the metadata {@code betaas.template} and {@code betaas.vm} (the BETaaS VM id). A
 * reused server gets the new VM id in {@code betaas.vm} (the old id is kept in {@code betaas.previous-vm}) so
 * the VM id always names exactly one server, and the mapping survives a restart of the gateway. Stopping
 * records the time in {@code betaas.stopped-at}, from which the idle time counts.
 * <p>
 * Images: the template's image is a Glance image id, or a name looked up through Nova's image list
 * ({@code GET /images}, Nova API 2.1, which proxies Glance); a name must be unique.
 */
final class NovaVmDriver implements VmDriver {

    private static final Logger LOG = LoggerFactory.getLogger(NovaVmDriver.class);

    static final String PREVIOUS_VM = "betaas.previous-vm";

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-([0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}");
    private static final Pattern VM_ID = Pattern.compile("[A-Za-z0-9._:-]{1,200}");

    private final OpenStackSettings settings;
    private final CloudSession session;
    private final Clock clock;
    private final Object reservations = new Object();
    private int creating;
    private volatile List<NovaFlavor> flavors = List.of();

    NovaVmDriver(OpenStackSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.session = new CloudSession(settings, clock);
    }

    @Override
    public String name() {
        return "openstack";
    }

    /** Where the VMs run: the cloud's host, and the region when one is configured. */
    String location() {
        String host = settings.authUrl().isEmpty() ? "openstack" : URI.create(settings.authUrl()).getHost();
        return settings.region().isEmpty() ? host : host + "/" + settings.region();
    }

    @Override
    public DriverStatus status() {
        if (!settings.configured()) {
            return new DriverStatus(false, "(not configured)", "no OpenStack cloud configured: set authUrl, user, "
                    + "password and project in " + OpenStackSettings.CFG + " to run VMs remotely");
        }
        if (!settings.problems().isEmpty()) {
            return new DriverStatus(false, settings.authUrl(), "wrong configuration in " + OpenStackSettings.CFG
                    + ": " + String.join("; ", settings.problems()));
        }
        try {
            List<NovaServer> ours = ours();
            long stopped = ours.stream().filter(NovaServer::shutOff).count();
            return new DriverStatus(true, settings.authUrl(), "Nova at " + session.token().computeUrl()
                    + ", user '" + settings.user() + "' in project '" + settings.project() + "', " + ours.size()
                    + " of at most " + settings.maxVms() + " remote VMs (" + stopped + " stopped)");
        } catch (VmException e) {
            return new DriverStatus(false, settings.authUrl(), e.getMessage());
        }
    }

    private void requireConfigured() throws VmException {
        if (!settings.configured()) {
            throw new VmException("No OpenStack cloud is configured: set authUrl, user, password and project in "
                    + OpenStackSettings.CFG);
        }
        if (!settings.problems().isEmpty()) {
            throw new VmException("Wrong configuration in " + OpenStackSettings.CFG + ": "
                    + String.join("; ", settings.problems()));
        }
    }

    @Override
    public HostCapacity capacity() throws VmException {
        requireConfigured();
        JsonNode a = session.nova("GET", "/limits", null, "reading the project's limits").body()
                .path("limits").path("absolute");
        List<NovaFlavor> all = flavors(false);
        long largestDiskMiB = all.stream().mapToLong(NovaFlavor::diskGiB).max().orElse(0) * 1024;
        long reservedDisk = 0;
        for (NovaServer s : ours()) {
            reservedDisk += flavor(s.flavorId()).map(f -> f.diskGiB() * 1024).orElse(0L);
        }
        // Nova quotas do not cover ephemeral disks: storage is what the allowed number of VMs may use.
        return new HostCapacity(limit(a.path("maxTotalCores").asInt(-1)), limitL(a.path("maxTotalRAMSize").asLong(-1)),
                settings.maxVms() * largestDiskMiB, a.path("totalCoresUsed").asInt(), a.path("totalRAMUsed").asLong(),
                reservedDisk);
    }

    private static int limit(int quota) {
        return quota < 0 ? Integer.MAX_VALUE : quota;
    }

    private static long limitL(long quota) {
        return quota < 0 ? Long.MAX_VALUE / 4 : quota;
    }

    @Override
    public VmInstance deploy(VmTemplate template, String vmId) throws VmException {
        requireConfigured();
        if (vmId == null || !VM_ID.matcher(vmId).matches()) {
            throw new VmException("VM id '" + vmId + "' is not usable on OpenStack: use letters, digits, . _ : -");
        }
        NovaServer reuse = null;
        synchronized (reservations) {
            List<NovaServer> ours = ours();
            if (ours.stream().anyMatch(s -> s.vmId().orElse("").equals(vmId))) {
                throw new VmException("A VM '" + vmId + "' already exists on OpenStack at " + location());
            }
            reuse = ours.stream().filter(s -> s.shutOff() && s.template().equals(template.name()))
                    .max(Comparator.comparing(s -> s.stoppedAt().orElse(Instant.EPOCH))).orElse(null);
            if (reuse != null) {
                // claimed under the lock: a concurrent deploy cannot pick the same server
                ObjectNode meta = CloudSession.JSON.createObjectNode();
                meta.putObject("metadata").put(NovaServer.VM, vmId)
                        .put(PREVIOUS_VM, reuse.vmId().orElse(""));
                session.nova("POST", "/servers/" + reuse.id() + "/metadata", meta,
                        "giving stopped server " + reuse.id() + " the VM id '" + vmId + "'");
            } else if (ours.size() + creating >= settings.maxVms()) {
                long stopped = ours.stream().filter(NovaServer::shutOff).count();
                throw new VmException("Cannot deploy '" + template.name() + "' on OpenStack at " + location()
                        + ": the maximum of " + settings.maxVms() + " remote VMs is reached (" + stopped
                        + " of them stopped, destroyed after " + settings.idleTime().toMinutes()
                        + " min idle); destroy a remote VM or raise maxVms in " + OpenStackSettings.CFG);
            } else {
                creating++;
            }
        }
        return reuse != null ? restart(reuse, template, vmId) : create(template, vmId);
    }

    private VmInstance restart(NovaServer server, VmTemplate template, String vmId) throws VmException {
        LOG.info("Reusing stopped server {} (was VM '{}') for VM '{}' of template '{}'", server.id(),
                server.vmId().orElse(""), vmId, template.name());
        NovaServer active;
        try {
            action(server.id(), "os-start", "starting stopped server " + server.id() + " for VM '" + vmId + "'");
            active = await(server.id(), "ACTIVE", "starting VM '" + vmId + "'");
        } catch (VmException e) {
            giveBack(server);
            throw e;
        }
        forgetStop(server.id());
        return instance(active, vmId);
    }

    /** A reuse failed: the server goes back to the VM it was, so that VM can still be resumed or destroyed. */
    private void giveBack(NovaServer server) {
        ObjectNode meta = CloudSession.JSON.createObjectNode();
        meta.putObject("metadata").put(NovaServer.VM, server.vmId().orElse(""))
                .put(PREVIOUS_VM, server.metadata().getOrDefault(PREVIOUS_VM, ""));
        try {
            session.nova("POST", "/servers/" + server.id() + "/metadata", meta,
                    "giving server " + server.id() + " back to VM '" + server.vmId().orElse("") + "'");
        } catch (VmException e) {
            LOG.warn("Server {} keeps the id of the failed deploy: {}", server.id(), e.getMessage());
        }
    }

    private VmInstance create(VmTemplate template, String vmId) throws VmException {
        String serverId;
        try {
            NovaFlavor flavor = chooseFlavor(template);
            String image = imageId(template);
            ObjectNode body = CloudSession.JSON.createObjectNode();
            ObjectNode server = body.putObject("server");
            server.put("name", "betaas-" + vmId);
            server.put("imageRef", image);
            server.put("flavorRef", flavor.id());
            server.putObject("metadata").put(NovaServer.TEMPLATE, template.name()).put(NovaServer.VM, vmId);
            serverId = session.nova("POST", "/servers", body, "creating a server for VM '" + vmId + "' of template '"
                    + template.name() + "' (flavor " + flavor.name() + ", image " + template.image() + ")")
                    .body().path("server").path("id").asText();
            LOG.info("Creating server {} for VM '{}' of template '{}' with flavor {} on {}", serverId, vmId,
                    template.name(), flavor.name(), location());
        } finally {
            synchronized (reservations) {
                creating--;
            }
        }
        try {
            return instance(await(serverId, "ACTIVE", "building VM '" + vmId + "'"), vmId);
        } catch (VmException e) {
            deleteQuietly(serverId, vmId);
            throw e;
        }
    }

    private NovaFlavor chooseFlavor(VmTemplate t) throws VmException {
        Optional<NovaFlavor> f = NovaFlavor.choose(t, flavors(false), settings.flavors());
        if (f.isEmpty()) {
            f = NovaFlavor.choose(t, flavors(true), settings.flavors());
        }
        String mapped = settings.flavors().get(t.name());
        return f.orElseThrow(() -> new VmException(mapped != null
                ? "Flavor '" + mapped + "' mapped to template '" + t.name() + "' in " + OpenStackSettings.CFG
                        + " does not exist on OpenStack at " + location()
                : "No flavor on OpenStack at " + location() + " fits template '" + t.name() + "' (" + t.vcpus()
                        + " vCPUs, " + t.memoryMiB() + " MiB memory, " + t.diskMiB() + " MiB disk): map one in "
                        + OpenStackSettings.CFG + " (flavors = " + t.name() + "=<flavor>)"));
    }

    private List<NovaFlavor> flavors(boolean refresh) throws VmException {
        if (flavors.isEmpty() || refresh) {
            List<NovaFlavor> list = new ArrayList<>();
            for (JsonNode f : session.nova("GET", "/flavors/detail", null, "listing flavors").body().path("flavors")) {
                list.add(NovaFlavor.of(f));
            }
            flavors = List.copyOf(list);
        }
        return flavors;
    }

    private Optional<NovaFlavor> flavor(String id) {
        return flavors.stream().filter(f -> f.id().equals(id)).findFirst();
    }

    private String imageId(VmTemplate t) throws VmException {
        String image = t.image();
        if (UUID.matcher(image).matches()) {
            return image;
        }
        List<String> ids = new ArrayList<>();
        String query = "/images?name=" + URLEncoder.encode(image, StandardCharsets.UTF_8);
        for (JsonNode i : session.nova("GET", query, null, "looking up image '" + image + "'").body().path("images")) {
            if (image.equals(i.path("name").asText())) {
                ids.add(i.path("id").asText());
            }
        }
        if (ids.isEmpty()) {
            throw new VmException("Image '" + image + "' of template '" + t.name() + "' does not exist on OpenStack at "
                    + location() + ": upload it to Glance or set the template's image to an image id");
        }
        if (ids.size() > 1) {
            throw new VmException("Image name '" + image + "' of template '" + t.name() + "' is ambiguous on OpenStack"
                    + " at " + location() + " (" + ids.size() + " images: " + String.join(", ", ids)
                    + "): set the template's image to one of these ids");
        }
        return ids.get(0);
    }

    @Override
    public List<VmInstance> list() throws VmException {
        if (!settings.configured()) {
            return List.of();
        }
        requireConfigured();
        List<VmInstance> vms = new ArrayList<>();
        List<NovaServer> ours = ours();
        if (!ours.isEmpty()) {
            flavors(false);
        }
        for (NovaServer s : ours) {
            vms.add(instance(s, s.vmId().orElseThrow()));
        }
        return vms;
    }

    private VmInstance instance(NovaServer s, String vmId) {
        Optional<NovaFlavor> f = flavor(s.flavorId());
        return new VmInstance(vmId, s.template(), name(), location(), s.state(),
                s.created() != null ? s.created() : clock.instant(), f.map(NovaFlavor::vcpus).orElse(0),
                f.map(NovaFlavor::ramMiB).orElse(0L));
    }

    /** The servers BETaaS created in the project (those carrying a {@code betaas.vm} metadata item). */
    List<NovaServer> ours() throws VmException {
        List<NovaServer> servers = new ArrayList<>();
        for (JsonNode s : session.nova("GET", "/servers/detail", null, "listing servers").body().path("servers")) {
            NovaServer server = NovaServer.of(s);
            if (server.vmId().isPresent() && server.state() != VmState.DESTROYED) {
                servers.add(server);
            }
        }
        return servers;
    }

    private NovaServer find(String vmId) throws VmException {
        requireConfigured();
        return ours().stream().filter(s -> s.vmId().orElse("").equals(vmId)).findFirst()
                .orElseThrow(() -> new VmException("No VM '" + vmId + "' on OpenStack at " + location()
                        + ": it was destroyed, or its stopped server was reused by a later deploy (betaas:vm-list)"));
    }

    @Override
    public void stop(String vmId) throws VmException {
        NovaServer s = find(vmId);
        if (!s.shutOff()) {
            action(s.id(), "os-stop", "stopping VM '" + vmId + "'");
            await(s.id(), "SHUTOFF", "stopping VM '" + vmId + "'");
        }
        ObjectNode meta = CloudSession.JSON.createObjectNode();
        meta.putObject("metadata").put(NovaServer.STOPPED_AT, clock.instant().toString());
        session.nova("POST", "/servers/" + s.id() + "/metadata", meta, "marking VM '" + vmId + "' as stopped");
        LOG.info("Stopped VM '{}' (server {}); destroyed if not reused within {} s", vmId, s.id(),
                settings.idleTime().toSeconds());
    }

    @Override
    public void resume(String vmId) throws VmException {
        NovaServer s = find(vmId);
        if (!"ACTIVE".equals(s.status())) {
            action(s.id(), "os-start", "starting VM '" + vmId + "'");
            await(s.id(), "ACTIVE", "starting VM '" + vmId + "'");
        }
        forgetStop(s.id());
        LOG.info("Resumed VM '{}' (server {})", vmId, s.id());
    }

    @Override
    public void destroy(String vmId) throws VmException {
        NovaServer s = find(vmId);
        delete(s.id(), vmId);
        LOG.info("Destroyed VM '{}' (server {})", vmId, s.id());
    }

    /** Destroys the stopped VMs idle for longer than the configured time; returns their VM ids. */
    List<String> destroyIdle() throws VmException {
        if (!settings.configured() || !settings.problems().isEmpty()) {
            return List.of();
        }
        Instant limit = clock.instant().minus(settings.idleTime());
        List<String> destroyed = new ArrayList<>();
        for (NovaServer s : ours()) {
            if (s.shutOff() && s.stoppedAt().map(at -> at.isBefore(limit)).orElse(false)) {
                String vmId = s.vmId().orElseThrow();
                delete(s.id(), vmId);
                LOG.info("Destroyed VM '{}' (server {}): stopped since {}, idle longer than {} s", vmId, s.id(),
                        s.stoppedAt().orElseThrow(), settings.idleTime().toSeconds());
                destroyed.add(vmId);
            }
        }
        return destroyed;
    }

    private void delete(String serverId, String vmId) throws VmException {
        try {
            session.nova("DELETE", "/servers/" + serverId, null, "destroying VM '" + vmId + "'");
        } catch (CloudException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private void deleteQuietly(String serverId, String vmId) {
        try {
            delete(serverId, vmId);
            LOG.info("Deleted server {} of failed VM '{}'", serverId, vmId);
        } catch (VmException e) {
            LOG.warn("Could not delete server {} of failed VM '{}': {}", serverId, vmId, e.getMessage());
        }
    }

    private void forgetStop(String serverId) throws VmException {
        try {
            session.nova("DELETE", "/servers/" + serverId + "/metadata/" + NovaServer.STOPPED_AT, null,
                    "clearing the stop time of server " + serverId);
        } catch (CloudException e) {
            if (e.status() != 404) {
                throw e;
            }
        }
    }

    private void action(String serverId, String action, String what) throws VmException {
        ObjectNode body = CloudSession.JSON.createObjectNode();
        body.putNull(action);
        session.nova("POST", "/servers/" + serverId + "/action", body, what);
    }

    /** Polls the server until it has the status, fails on ERROR (with Nova's fault) or after the build timeout. */
    private NovaServer await(String serverId, String status, String what) throws VmException {
        long deadline = System.nanoTime() + settings.buildTimeout().toNanos();
        while (true) {
            NovaServer s;
            try {
                s = NovaServer.of(session.nova("GET", "/servers/" + serverId, null, what).body().path("server"));
            } catch (CloudException e) {
                if (e.status() == 404) {
                    throw new VmException("Server " + serverId + " vanished from OpenStack at " + location()
                            + " while " + what, e);
                }
                throw e;
            }
            if (status.equals(s.status())) {
                return s;
            }
            if ("ERROR".equals(s.status())) {
                throw new VmException("OpenStack at " + location() + " put server " + serverId + " in ERROR while "
                        + what + ": " + (s.fault().isEmpty() ? "no fault reported" : s.fault()));
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new VmException("Server " + serverId + " on OpenStack at " + location() + " is still "
                        + s.status() + " after " + OpenStackSettings.text(settings.buildTimeout()) + " while " + what
                        + " (buildTimeoutSeconds in " + OpenStackSettings.CFG + ")");
            }
            try {
                Thread.sleep(settings.pollInterval().toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new VmException("Interrupted while " + what, e);
            }
        }
    }
}
