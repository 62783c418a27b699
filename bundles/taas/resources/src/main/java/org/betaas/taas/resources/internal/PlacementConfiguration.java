package org.betaas.taas.resources.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Placement",
        description = "How the TaaS Resources Manager places VMs: on this gateway, on a peer, or on the remote cloud.")
@interface PlacementConfiguration {

    @AttributeDefinition(name = "Trust threshold", description = "Gateways trusted less than this (0..1) are not used.")
    double trust_threshold() default 0.5;

    @AttributeDefinition(name = "Powerful gateway", description = "Power (cores x core speed) from which a gateway"
            + " counts as powerful; a Big Data computation node goes remote when no powerful gateway can take it.")
    double powerful_power() default 4.0;

    @AttributeDefinition(name = "Shortage level", description = "The instance runs short when, after a VM, less than"
            + " this fraction (0..1) of its CPU or memory would be predicted free; computation/heavy VMs then go"
            + " remote so that storage/light VMs keep the local room.")
    double shortage_level() default 0.1;

    @AttributeDefinition(name = "CPU allocation ratio", description = "Virtual CPUs offered per core of this gateway.")
    double cpu_allocation_ratio() default 4.0;

    @AttributeDefinition(name = "Core speed", description = "Relative speed of this gateway's cores (1 = a typical"
            + " x86 core; about 0.5 for an ARM board): power = cores x speed.")
    double cpu_speed() default 1.0;

    @AttributeDefinition(name = "Remote VM limit", description = "Most VMs this gateway runs on the remote cloud at a"
            + " time (cost limit); 0 never uses the remote cloud.")
    int remote_vmLimit() default 4;
}
