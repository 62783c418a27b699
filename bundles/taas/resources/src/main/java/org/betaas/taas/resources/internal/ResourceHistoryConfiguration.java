package org.betaas.taas.resources.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

// numbers as strings: a typo is then reported as a problem instead of failing the activation
@ObjectClassDefinition(name = "BETaaS resource history",
        description = "How often this gateway samples its resources, how long it keeps them, how often it refits"
                + " their Holt forecasts")
@interface ResourceHistoryConfiguration {

    @AttributeDefinition(name = "Sampling interval (s)", description = "Seconds between two resource samples")
    String interval_seconds() default "" + ResourceSettings.DEFAULT_INTERVAL_SECONDS;

    @AttributeDefinition(name = "History (h)", description = "Hours of samples kept (in H2, across restarts)")
    String history_hours() default "" + ResourceSettings.DEFAULT_HISTORY_HOURS;

    @AttributeDefinition(name = "Refit interval (s)", description = "Seconds between two fits of the forecasts")
    String refit_seconds() default "" + ResourceSettings.DEFAULT_REFIT_SECONDS;

    @AttributeDefinition(name = "Forecast horizon", description = "Sampling intervals forecast ahead; placement counts the peak of the forecast (and of its upper bound) over them")
    String forecast_horizon() default "" + ResourceSettings.DEFAULT_HORIZON;

    @AttributeDefinition(name = "Database", description = "H2 JDBC URL; empty for"
            + " jdbc:h2:file:${karaf.data}/betaas/resources")
    String database_url() default "";
}
