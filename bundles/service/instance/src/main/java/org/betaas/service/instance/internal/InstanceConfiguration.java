package org.betaas.service.instance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Instance", description = "Membership of this gateway in its BETaaS instance"
        + " (the local cloud of gateways) over the instance's MQTT broker.")
@interface InstanceConfiguration {

    @AttributeDefinition(name = "Broker URL", description = "The instance's MQTT broker, tcp://HOST:PORT or"
            + " ssl://HOST:PORT; empty: do not join.")
    String broker_url() default "";

    @AttributeDefinition(name = "Broker user", description = "This gateway's own user on the broker.")
    String broker_user() default "";

    @AttributeDefinition(name = "Broker password", type = AttributeType.PASSWORD,
            description = "This gateway's password on the broker.")
    String broker_password() default "";

    @AttributeDefinition(name = "TLS key store", description = "With an ssl:// broker: this gateway's own client"
            + " certificate and key (PKCS#12 or JKS file; relative to etc/); empty: no client certificate.")
    String broker_keyStore() default "";

    @AttributeDefinition(name = "TLS key store password", type = AttributeType.PASSWORD,
            description = "Password of the key store and of the key in it.")
    String broker_keyStorePassword() default "";

    @AttributeDefinition(name = "TLS trust store", description = "With an ssl:// broker: the CA certificate(s)"
            + " trusted for the broker (PKCS#12 or JKS file; relative to etc/); empty: the JVM's default CAs.")
    String broker_trustStore() default "";

    @AttributeDefinition(name = "TLS trust store password", type = AttributeType.PASSWORD,
            description = "Password of the trust store (may be empty).")
    String broker_trustStorePassword() default "";

    @AttributeDefinition(name = "Instance key", type = AttributeType.PASSWORD,
            description = "The instance's shared secret (at least 16 characters): every message is authenticated"
                    + " with it (HMAC-SHA256).")
    String instance_key() default "";

    @AttributeDefinition(name = "Join", description = "false after betaas:instance-leave.")
    boolean join() default true;

    @AttributeDefinition(name = "Keep-alive (s)", description = "A peer without a status for longer is offline"
            + " (3..300).")
    int keepalive_seconds() default 15;

    @AttributeDefinition(name = "Status period (s)", description = "How often the status is republished;"
            + " 0: a third of the keep-alive.")
    int status_period_seconds() default 0;

    @AttributeDefinition(name = "Replay window (s)", description = "Messages with a timestamp further from now are"
            + " dropped as stale; nonces are remembered this long.")
    int replay_window_seconds() default 30;

    @AttributeDefinition(name = "Request timeout (s)", description = "How long to wait for a peer's answer.")
    int request_timeout_seconds() default 10;

    @AttributeDefinition(name = "Trust window (min)", description = "How far back failures count for trust.")
    int trust_window_minutes() default 10;

    @AttributeDefinition(name = "Trust threshold", description = "Peers whose trust falls below are dismissed"
            + " automatically; 0: never.")
    double trust_threshold() default 0.2;
}
