package org.betaas.taas.vm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS VM Manager", description = "The VMs of this gateway and their persisted records.")
@interface VmManagerConfiguration {

    @AttributeDefinition(name = "Database",
            description = "JDBC URL of the H2 database of VM records; empty for jdbc:h2:file:${karaf.data}/betaas/vms.")
    String jdbcUrl() default "";

    @AttributeDefinition(name = "Reconcile interval, seconds",
            description = "How old the drivers' view may be before betaas:vm-list asks them again (events keep "
                    + "states current in between).")
    int reconcileSeconds() default 10;
}
