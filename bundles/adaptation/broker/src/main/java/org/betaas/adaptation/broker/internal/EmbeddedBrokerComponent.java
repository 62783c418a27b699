package org.betaas.adaptation.broker.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Map;

import org.betaas.api.things.BrokerStats;
import org.betaas.api.things.EmbeddedMqttBroker;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The embedded broker, configured by PID {@code org.betaas.broker}. A broker that cannot start (port taken)
 * is logged with what to do; the component stays active so the rest of the gateway is unaffected.
 */
@Component(configurationPid = "org.betaas.broker", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = EmbeddedMqttBroker.class, immediate = true,
        property = "service.description=BETaaS embedded MQTT broker (Moquette)")
@Designate(ocd = BrokerConfiguration.class)
public final class EmbeddedBrokerComponent implements EmbeddedMqttBroker {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBrokerComponent.class);

    private final SelfHealingBroker broker;
    private final String status;

    @Activate
    public EmbeddedBrokerComponent(@Reference(cardinality = ReferenceCardinality.OPTIONAL) ConfigurationAdmin cm,
                                   BrokerConfiguration config) {
        quietMessageLog(cm);
        BrokerSettings settings = BrokerSettings.parse(config);
        settings.problems().forEach(p -> LOG.error("Broker configuration: {}", p));
        SelfHealingBroker started = null;
        String s;
        if (!settings.enabled()) {
            s = "disabled (enabled=false in " + BrokerSettings.FILE + ")";
            LOG.info("Embedded MQTT broker {}", s);
        } else {
            Path data = Path.of(System.getProperty("karaf.data", "data"), "betaas", "broker");
            try {
                started = new SelfHealingBroker(settings, data);
                s = "running: " + settings;
                LOG.info("Embedded MQTT {}", s);
                if (settings.shippedPassword()) {
                    LOG.warn("Embedded MQTT broker uses the shipped default password: set password in {} (and in"
                            + " etc/org.betaas.mqtt.cfg, etc/org.betaas.simulator.cfg)", BrokerSettings.FILE);
                }
            } catch (Exception | LinkageError e) {
                s = "not running: cannot listen on " + settings.host() + ":" + settings.port() + " (" + e + ");"
                        + " change port in " + BrokerSettings.FILE + " or set enabled=false to use another broker";
                LOG.error("Embedded MQTT broker {}", s, e);
            }
        }
        broker = started;
        status = s;
    }

    /**
     * Moquette logs every MQTT packet at INFO through one logger that no setting turns off: raise that logger
     * to WARN in Karaf's logging configuration, once.
     */
    private static void quietMessageLog(ConfigurationAdmin cm) {
        if (cm == null) {
            return;
        }
        try {
            Configuration logging = cm.getConfiguration("org.ops4j.pax.logging", null);
            Dictionary<String, Object> p = logging.getProperties();
            if (p != null && p.get("log4j2.logger.moquettepackets.name") == null) {
                p.put("log4j2.logger.moquettepackets.name", "io.moquette.broker.metrics.MQTTMessageLogger");
                p.put("log4j2.logger.moquettepackets.level", "WARN");
                logging.update(p);
            }
        } catch (IOException | RuntimeException e) {
            LOG.debug("could not quiet Moquette's packet log", e);
        }
    }

    @Deactivate
    private void deactivate() {
        if (broker != null) {
            broker.close();
            LOG.info("Embedded MQTT broker stopped");
        }
    }

    @Override
    public BrokerStats stats() {
        if (broker == null) {
            return new BrokerStats(status, 0, Map.of(), 0);
        }
        String state = broker.down().map(why -> "not running: " + why).orElse(status);
        return new BrokerStats(state, broker.connectedClients(), broker.offlineBacklog(), broker.restarts());
    }
}
