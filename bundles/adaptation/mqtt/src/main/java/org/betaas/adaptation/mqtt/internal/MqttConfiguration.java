package org.betaas.adaptation.mqtt.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS MQTT adaptor",
        description = "Things that publish SenML over MQTT; actuator commands back to them.")
@interface MqttConfiguration {

    @AttributeDefinition(name = "Enabled", description = "Connect to the broker and take in SenML.")
    boolean enabled() default true;

    @AttributeDefinition(name = "Broker URL", description = "tcp://host:port, or ssl://host:port for TLS.")
    String broker_url() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "Topics", description = "Comma-separated topic filters; the level at the first '+'"
            + " is the thing id (else the SenML base name). Topics ending in /senml-cbor carry SenML CBOR.")
    String topics() default "betaas/things/+/senml,betaas/things/+/senml-cbor";

    @AttributeDefinition(name = "Command topic", description = "Where actuator commands go; {id} is the thing id.")
    String command_topic() default "betaas/things/{id}/cmd";

    @AttributeDefinition(name = "Username", description = "Empty: connect without credentials.")
    String username() default "";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "";

    @AttributeDefinition(name = "Client id", description = "Fixed, so that the broker keeps the session; empty:"
            + " betaas-<gateway id>.")
    String client_id() default "";

    @AttributeDefinition(name = "QoS", description = "0, 1 or 2.")
    int qos() default 1;

    @AttributeDefinition(name = "Clean session", description = "false keeps subscriptions and queued messages"
            + " across reconnections.")
    boolean clean_session() default false;

    @AttributeDefinition(name = "Maximum reconnect delay (s)")
    int reconnect_max_delay_s() default 30;

    @AttributeDefinition(name = "Trust store", description = "For ssl:// URLs: a PKCS12/JKS trust store file; empty"
            + " uses the JVM's.")
    String tls_truststore() default "";

    @AttributeDefinition(name = "Trust store password", type = AttributeType.PASSWORD)
    String tls_truststore_password() default "";

    @AttributeDefinition(name = "Maximum payload (bytes)")
    int max_payload_bytes() default 65536;

    @AttributeDefinition(name = "Ingest workers", description = "Threads that decode SenML and update the registry"
            + " (a topic's messages always go to the same one, in order); 1-64.")
    int ingest_workers() default 2;

    @AttributeDefinition(name = "Ingest queue", description = "Messages taken from the broker and not yet in the"
            + " registry, at most (not acknowledged until they are); when full, reading from the broker waits.")
    int ingest_queue() default 1000;

    @AttributeDefinition(name = "Actuator ids", description = "Regular expression: things whose id matches are"
            + " actuators.")
    String actuator_ids() default ".*(actuator|switch|relay|valve|fan|lamp).*";
}
