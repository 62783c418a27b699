package org.betaas.adaptation.mqtt.internal;

import java.util.List;

import org.betaas.api.instance.LocalGateway;
import org.betaas.api.things.AdaptorStats;
import org.betaas.api.things.ThingAdaptor;
import org.betaas.api.things.ThingRegistry;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The MQTT adaptor as a service, configured by PID {@code org.betaas.mqtt}. */
@Component(configurationPid = "org.betaas.mqtt", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS MQTT adaptor (SenML)")
@Designate(ocd = MqttConfiguration.class)
public final class MqttAdaptorComponent implements ThingAdaptor {

    private static final Logger LOG = LoggerFactory.getLogger(MqttAdaptorComponent.class);

    private final MqttSettings settings;
    private final MqttAdaptor adaptor;
    private final String problem;

    @Activate
    public MqttAdaptorComponent(@Reference ThingRegistry registry,
                                @Reference(cardinality = ReferenceCardinality.OPTIONAL) LocalGateway gateway,
                                MqttConfiguration config) {
        String gatewayId = gateway == null ? "gateway" : gateway.identity().gatewayId();
        settings = MqttSettings.parse(config, gatewayId);
        settings.problems().forEach(p -> LOG.error("MQTT configuration: {}", p));
        MqttAdaptor created = null;
        String why = null;
        if (!settings.enabled()) {
            why = "disabled (enabled=false in " + MqttSettings.FILE + ")";
            LOG.info("MQTT adaptor {}", why);
        } else {
            try {
                created = new MqttAdaptor(settings, registry, gatewayId);
                created.start();
                LOG.info("MQTT adaptor: {}", settings);
            } catch (MqttException | IllegalArgumentException e) {
                why = "cannot create the MQTT client for " + settings.brokerUrl() + ": " + e.getMessage();
                LOG.error("MQTT adaptor: {}", why);
            }
        }
        adaptor = created;
        problem = why;
    }

    @Deactivate
    private void deactivate() {
        if (adaptor != null) {
            adaptor.close();
        }
    }

    @Override
    public String protocol() {
        return SenmlIngest.PROTOCOL;
    }

    @Override
    public AdaptorStats stats() {
        if (adaptor == null) {
            return new AdaptorStats(protocol(), problem, 0, 0, java.util.Map.of(), 0);
        }
        return adaptor.stats();
    }

    @Override
    public void actuate(String thingId, String command) {
        if (adaptor == null) {
            throw new IllegalStateException("the MQTT adaptor is " + problem);
        }
        adaptor.actuate(thingId, command);
    }

    List<String> problems() {
        return settings.problems();
    }
}
