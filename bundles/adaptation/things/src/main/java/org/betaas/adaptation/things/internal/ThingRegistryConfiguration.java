package org.betaas.adaptation.things.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Thing registry",
        description = "Where the things this gateway knows and their last values are kept.")
@interface ThingRegistryConfiguration {

    @AttributeDefinition(name = "JDBC URL", description = "Empty: H2 under the Karaf data folder"
            + " (jdbc:h2:file:${karaf.data}/betaas/things).")
    String jdbc_url() default "";

    @AttributeDefinition(name = "Flush interval (ms)", description = "How often changes are written to the database"
            + " (100-60000).")
    long flush_interval_ms() default 1000;
}
