package org.betaas.service.dependability.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Dependability Manager",
        description = "Watches BETaaS components, bundles, VMs and peers; recovers them with bounded retries.")
@interface DependabilityConfiguration {

    @AttributeDefinition(name = "Poll interval, seconds", description = "How often SCR, bundles, VMs and peers are looked at.")
    int pollSeconds() default 5;

    @AttributeDefinition(name = "Maximum attempts", description = "Recovery attempts per failure before giving up (0: only record).")
    int maxAttempts() default 5;

    @AttributeDefinition(name = "Initial delay, seconds",
            description = "Wait between a failure first seen and the first attempt; shorter failures leave no incident.")
    long initialDelaySeconds() default 5;

    @AttributeDefinition(name = "Maximum delay, seconds", description = "Cap of the doubling wait between attempts.")
    long maxDelaySeconds() default 300;

    @AttributeDefinition(name = "History size", description = "Incidents kept; older ones are dropped.")
    int historySize() default 1000;

    @AttributeDefinition(name = "Database",
            description = "JDBC URL of the H2 incident database; empty for jdbc:h2:file:${karaf.data}/betaas/incidents.")
    String jdbcUrl() default "";

    @AttributeDefinition(name = "Watch components", description = "Restart BETaaS DS components that fail.")
    boolean watchComponents() default true;

    @AttributeDefinition(name = "Watch bundles", description = "Start BETaaS bundles that stopped after being active.")
    boolean watchBundles() default true;

    @AttributeDefinition(name = "Watch VMs", description = "Resume or re-place VMs that fail, vanish or shut off.")
    boolean watchVms() default true;

    @AttributeDefinition(name = "Re-place vanished VMs",
            description = "Re-place VMs the VM Manager reports VANISHED (off: only recorded).")
    boolean replaceVanishedVms() default true;

    @AttributeDefinition(name = "VM heartbeat timeout, seconds",
            description = "A RUNNING VM whose CPU time has not advanced for this long is hung: re-placed (0: never).")
    long vmStallSeconds() default 120;

    @AttributeDefinition(name = "Watch peers", description = "Record peers going offline (the Instance Manager re-places their VMs).")
    boolean watchPeers() default true;
}
