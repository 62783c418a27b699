package org.betaas.service.manager.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Service Manager",
        description = "Applications: where they are kept and how often their things are reallocated.")
@interface ServiceManagerConfiguration {

    @AttributeDefinition(name = "JDBC URL", description = "Empty: H2 under the Karaf data folder"
            + " (jdbc:h2:file:${karaf.data}/betaas/apps).")
    String jdbc_url() default "";

    @AttributeDefinition(name = "Reallocation interval (s)", description = "How often the things serving each app"
            + " are recomputed (freshness, rates, lost things), besides whenever a new thing appears (1-3600).")
    int reallocate_interval_s() default 10;

    @AttributeDefinition(name = "Rate window (s)", description = "The window over which a thing's rate is measured"
            + " for the apps' minRatePerMinute (10-86400).")
    int rate_window_s() default 300;
}
