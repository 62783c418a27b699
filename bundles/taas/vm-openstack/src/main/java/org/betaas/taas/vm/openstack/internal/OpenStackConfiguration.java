package org.betaas.taas.vm.openstack.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS VM driver: OpenStack",
        description = "A remote OpenStack cloud (Keystone v3 + Nova) where this gateway runs VMs it cannot host.")
@interface OpenStackConfiguration {

    @AttributeDefinition(name = "Keystone URL", required = false,
            description = "Keystone v3 URL, e.g. https://cloud.example.org:5000/v3. Empty: no cloud configured.")
    String authUrl() default "";

    @AttributeDefinition(name = "User", required = false, description = "Keystone user name.")
    String user() default "";

    @AttributeDefinition(name = "Password", required = false, type = AttributeType.PASSWORD,
            description = "Keystone password of the user. Never logged.")
    String password() default "";

    @AttributeDefinition(name = "Project", required = false, description = "Project (tenant) the VMs are created in.")
    String project() default "";

    @AttributeDefinition(name = "Domain", description = "Keystone domain of the user and the project.")
    String domain() default "Default";

    @AttributeDefinition(name = "Region", required = false,
            description = "Region of the compute endpoint in the service catalog; empty: the first public one.")
    String region() default "";

    @AttributeDefinition(name = "Maximum VMs", description = "Most remote VMs (running or stopped) this gateway keeps.")
    int maxVms() default 4;

    @AttributeDefinition(name = "Idle time (s)",
            description = "A stopped VM not reused within this many seconds is destroyed.")
    long idleSeconds() default 3600;

    @AttributeDefinition(name = "Poll interval (ms)", description = "How often a server's status is polled.")
    long pollIntervalMillis() default 2000;

    @AttributeDefinition(name = "Build timeout (s)",
            description = "How long a server may take to become ACTIVE (or SHUTOFF on stop).")
    long buildTimeoutSeconds() default 300;

    @AttributeDefinition(name = "Request timeout (s)", description = "How long one HTTP request to the cloud may take.")
    long requestTimeoutSeconds() default 30;

    @AttributeDefinition(name = "Flavor mapping", required = false,
            description = "template=flavor-name pairs; templates not listed get the smallest flavor that fits.")
    String[] flavors() default {};
}
