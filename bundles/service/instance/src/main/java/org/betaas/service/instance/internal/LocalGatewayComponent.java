package org.betaas.service.instance.internal;

import java.util.List;

import org.betaas.api.instance.GatewayIdentity;
import org.betaas.api.instance.LocalGateway;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** This gateway's identity, from configuration PID {@code org.betaas.gateway}. */
@Component(configurationPid = "org.betaas.gateway", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS local gateway identity")
@Designate(ocd = GatewayConfiguration.class)
public final class LocalGatewayComponent implements LocalGateway {

    private static final Logger LOG = LoggerFactory.getLogger(LocalGatewayComponent.class);

    private final String version;
    private volatile GatewaySettings settings;

    @Activate
    public LocalGatewayComponent(BundleContext context, GatewayConfiguration config) {
        this.version = context.getBundle().getVersion().toString();
        apply(config);
    }

    @Modified
    private void apply(GatewayConfiguration config) {
        GatewaySettings parsed = GatewaySettings.parse(config.gateway_id(), config.instance_id());
        parsed.problems().forEach(p -> LOG.error("Gateway configuration: {}", p));
        LOG.info("Gateway '{}' of instance '{}', version {}", parsed.gatewayId(), parsed.instanceId(), version);
        settings = parsed;
    }

    @Override
    public GatewayIdentity identity() {
        GatewaySettings s = settings;
        return new GatewayIdentity(s.gatewayId(), s.instanceId(), version);
    }

    @Override
    public List<String> configurationProblems() {
        return settings.problems();
    }
}
