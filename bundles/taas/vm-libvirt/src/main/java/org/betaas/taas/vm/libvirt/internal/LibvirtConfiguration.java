package org.betaas.taas.vm.libvirt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS VM driver: libvirt", description = "This gateway's hypervisor, reached through libvirt.")
@interface LibvirtConfiguration {

    @AttributeDefinition(name = "Connection URI",
            description = "libvirt URI of the hypervisor, e.g. qemu:///system, or test:///default for a simulated one.")
    String uri() default "qemu:///system";

    @AttributeDefinition(name = "Domain type",
            description = "auto (kvm when the hypervisor offers it for the guest's architecture, else qemu/TCG), "
                    + "kvm, or qemu. Set qemu where /dev/kvm exists but KVM guests do not run (nested hosts).")
    String domainType() default "auto";

    @AttributeDefinition(name = "TCG translation cache, MiB",
            description = "Under qemu/TCG, caps QEMU's translation-block cache (its default takes 1 GiB); 0 keeps QEMU's default.")
    int tbCacheMiB() default 32;

    @AttributeDefinition(name = "Console log folder",
            description = "Where each VM's serial console is logged (<domain>.console.log); empty for ${karaf.data}/betaas/vm-consoles.")
    String consoleDir() default "";

    @AttributeDefinition(name = "Disk folder",
            description = "Where each VM's qcow2 overlay disk is created; empty for ${karaf.data}/betaas/vm-disks.")
    String diskDir() default "";

    @AttributeDefinition(name = "Storage pool",
            description = "libvirt storage pool whose capacity is reported as this host's VM storage; when it does "
                    + "not exist, the file system of the disk folder is reported.")
    String storagePool() default "default";

    @AttributeDefinition(name = "Answer timeout, seconds",
            description = "How long a reading of libvirtd's state (status, capacity, domains) waits for an answer. "
                    + "A libvirtd that leaves one unanswered longer is reported hung: calls fail at once until it "
                    + "answers again, so the instance status and the shell go on without the hypervisor.")
    int answerTimeoutSeconds() default 5;
}
