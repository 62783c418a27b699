package org.betaas.adaptation.simulator.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS simulated things",
        description = "Virtual sensors that publish SenML over MQTT, replaying recorded temperature traces.")
@interface SimulatorConfiguration {

    @AttributeDefinition(name = "Enabled")
    boolean enabled() default false;

    @AttributeDefinition(name = "Sensors", description = "Comma-separated id=trace pairs; traces: ambient, machine.")
    String sensors() default "sim-ambient-1=ambient,sim-machine-1=machine";

    @AttributeDefinition(name = "Interval (ms)", description = "Time between two readings of each sensor.")
    long interval_ms() default 2000;

    @AttributeDefinition(name = "Broker URL")
    String broker_url() default "tcp://127.0.0.1:1883";

    @AttributeDefinition(name = "Topic", description = "{id} is the sensor id.")
    String topic() default "betaas/things/{id}/senml";

    @AttributeDefinition(name = "Username")
    String username() default "betaas";

    @AttributeDefinition(name = "Password", type = AttributeType.PASSWORD)
    String password() default "betaas";
}
