package org.betaas.api.things;

/** The MQTT broker a gateway embeds for its things (when it is not told to use another). */
public interface EmbeddedMqttBroker {

    BrokerStats stats();
}
