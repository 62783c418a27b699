package org.betaas.taas.vm.openstack.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmTemplate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs VMs on a remote OpenStack cloud (Keystone v3 + Nova). Without a configured Keystone URL it stays
 * active and reports "not configured" in its status; deploys then fail with that reason.
 */
@Component(configurationPid = "org.betaas.vm.openstack", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"driver=openstack", "service.description=BETaaS VM driver for OpenStack"})
@Designate(ocd = OpenStackConfiguration.class)
public final class OpenStackDriver implements VmDriver {

    private static final Logger LOG = LoggerFactory.getLogger(OpenStackDriver.class);

    /** How often a cloud out of reach is probed again (in the background). */
    private static final Duration PROBE_INTERVAL = Duration.ofSeconds(30);

    private final NovaVmDriver nova;
    private final ScheduledExecutorService reaper;
    private final CloudReachability reachability;
    private String lastProblem;

    @Activate
    public OpenStackDriver(OpenStackConfiguration config) {
        OpenStackSettings settings = OpenStackSettings.from(config);
        this.nova = new NovaVmDriver(settings, Clock.systemUTC());
        if (!settings.configured()) {
            LOG.info("No OpenStack cloud configured ({}): remote VMs are off", OpenStackSettings.CFG);
            this.reaper = null;
            this.reachability = null;
            return;
        }
        if (!settings.problems().isEmpty()) {
            LOG.warn("Wrong configuration in {}: {}", OpenStackSettings.CFG, String.join("; ", settings.problems()));
        }
        LOG.info("OpenStack driver configured: {}", settings);
        this.reaper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "betaas-openstack-idle");
            t.setDaemon(true);
            return t;
        });
        // check a few times per idle period, at least once a minute, at most every 5 s
        long period = Math.max(5, Math.min(60, settings.idleTime().dividedBy(4).toSeconds()));
        reaper.scheduleWithFixedDelay(this::destroyIdle, period, period, TimeUnit.SECONDS);
        this.reachability = new CloudReachability(nova::status, reaper, Clock.systemUTC(), PROBE_INTERVAL);
    }

    private void destroyIdle() {
        try {
            nova.destroyIdle();
            lastProblem = null;
        } catch (VmException e) {
            // once per new problem: an unreachable cloud would otherwise warn every period
            if (!e.getMessage().equals(lastProblem)) {
                LOG.warn("Could not destroy idle remote VMs: {}", e.getMessage());
            }
            lastProblem = e.getMessage();
        } catch (RuntimeException e) {
            LOG.warn("Could not destroy idle remote VMs", e);
        }
    }

    @Deactivate
    private void deactivate() {
        if (reaper != null) {
            reaper.shutdownNow();
        }
    }

    @Override
    public String name() {
        return nova.name();
    }

    @Override
    public DriverStatus status() {
        return reachability == null ? nova.status() : reachability.status();
    }

    @Override
    public HostCapacity capacity() throws VmException {
        return nova.capacity();
    }

    @Override
    public VmInstance deploy(VmTemplate template, String vmId) throws VmException {
        return nova.deploy(template, vmId);
    }

    @Override
    public List<VmInstance> list() throws VmException {
        return nova.list();
    }

    @Override
    public void stop(String vmId) throws VmException {
        nova.stop(vmId);
    }

    @Override
    public void resume(String vmId) throws VmException {
        nova.resume(vmId);
    }

    @Override
    public void destroy(String vmId) throws VmException {
        nova.destroy(vmId);
    }
}
