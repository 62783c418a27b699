package org.betaas.taas.vm.libvirt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS VM driver: libvirt", description = "This gateway's hypervisor, reached through libvirt.")
@interface LibvirtConfiguration {

    @AttributeDefinition(name = "Connection URI",
            description = "libvirt URI of the hypervisor, e.g. qemu:///system, or test:///default for a simulated one.")
    String uri() default "qemu:///system";
}
