package org.betaas.taas.vm.libvirt.internal;

import java.util.ArrayList;
import java.util.List;

import org.betaas.api.vm.DriverStatus;
import org.betaas.api.vm.HostCapacity;
import org.betaas.api.vm.VmDriver;
import org.betaas.api.vm.VmException;
import org.betaas.api.vm.VmInstance;
import org.betaas.api.vm.VmTemplate;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;

/** Runs this gateway's VMs on its hypervisor through libvirt (KVM where usable, QEMU/TCG otherwise). */
@Component(configurationPid = "org.betaas.vm.libvirt", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {"driver=libvirt", "service.description=BETaaS VM driver for libvirt"})
@Designate(ocd = LibvirtConfiguration.class)
public final class LibvirtDriver implements VmDriver {

    private final LibvirtConnection connection;

    @Activate
    public LibvirtDriver(LibvirtConfiguration config) {
        this.connection = new LibvirtConnection(config.uri());
    }

    @Deactivate
    private void deactivate() {
        connection.close();
    }

    @Override
    public String name() {
        return "libvirt";
    }

    @Override
    public DriverStatus status() {
        try {
            Connect c = connection.get();
            return new DriverStatus(true, connection.uri(), c.getType() + " " + version(c.getVersion())
                    + " via libvirt " + version(c.getLibVersion()));
        } catch (LibvirtException e) {
            return new DriverStatus(false, connection.uri(), "cannot connect: " + e.getMessage()
                    + " (start libvirtd, or set uri in etc/org.betaas.vm.libvirt.cfg)");
        } catch (LinkageError e) {
            return new DriverStatus(false, connection.uri(),
                    "the libvirt client library is not installed (apt-get install libvirt0)");
        }
    }

    /** libvirt encodes versions as major * 1,000,000 + minor * 1,000 + release. */
    static String version(long encoded) {
        return (encoded / 1_000_000) + "." + (encoded / 1_000 % 1_000) + "." + (encoded % 1_000);
    }

    @Override
    public HostCapacity capacity() throws VmException {
        try {
            Connect c = connection.get();
            NodeInfo node = c.nodeInfo();
            int reservedVcpus = 0;
            long reservedKiB = 0;
            for (Domain d : allDomains(c)) {
                try {
                    reservedVcpus += d.getInfo().nrVirtCpu;
                    reservedKiB += d.getMaxMemory();
                } finally {
                    d.free();
                }
            }
            // Storage of VM disks is accounted by the VM Manager, which owns the images.
            return new HostCapacity(node.cpus, node.memory / 1024, 0, reservedVcpus, reservedKiB / 1024, 0);
        } catch (LibvirtException e) {
            throw new VmException("libvirt at " + connection.uri() + " cannot report capacity: " + e.getMessage(), e);
        }
    }

    private static List<Domain> allDomains(Connect c) throws LibvirtException {
        List<Domain> domains = new ArrayList<>();
        for (int id : c.listDomains()) {
            domains.add(c.domainLookupByID(id));
        }
        for (String name : c.listDefinedDomains()) {
            domains.add(c.domainLookupByName(name));
        }
        return domains;
    }

    @Override
    public VmInstance deploy(VmTemplate template, String vmId) throws VmException {
        throw new VmException("The libvirt driver of this build cannot deploy VMs yet");
    }

    @Override
    public List<VmInstance> list() throws VmException {
        return List.of();
    }

    @Override
    public void stop(String vmId) throws VmException {
        throw new VmException("No VM '" + vmId + "' on libvirt at " + connection.uri());
    }

    @Override
    public void resume(String vmId) throws VmException {
        throw new VmException("No VM '" + vmId + "' on libvirt at " + connection.uri());
    }

    @Override
    public void destroy(String vmId) throws VmException {
        throw new VmException("No VM '" + vmId + "' on libvirt at " + connection.uri());
    }
}
