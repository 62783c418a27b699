package org.betaas.adaptation.broker.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS embedded MQTT broker",
        description = "The MQTT 3.1.1 broker things and the MQTT adaptor talk to when no other broker is used.")
@interface BrokerConfiguration {

    @AttributeDefinition(name = "Enabled", description = "false: no embedded broker (use an external one).")
    boolean enabled() default true;

    @AttributeDefinition(name = "Host", description = "Address to listen on; 127.0.0.1 keeps it to this machine,"
            + " 0.0.0.0 opens it to the network.")
    String host() default "127.0.0.1";

    @AttributeDefinition(name = "Port")
    int port() default 1883;

    @AttributeDefinition(name = "Username", description = "The one account clients must use.")
    String username() default "betaas";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "betaas";

    @AttributeDefinition(name = "Allow anonymous", description = "Accept clients without credentials (not"
            + " recommended).")
    boolean allow_anonymous() default false;

    @AttributeDefinition(name = "Persistence", description = "Keep sessions and queued QoS 1/2 messages on disk"
            + " under data/betaas/broker.")
    boolean persistence() default true;

    @AttributeDefinition(name = "Maximum message size (bytes)")
    int max_message_bytes() default 262144;
}
