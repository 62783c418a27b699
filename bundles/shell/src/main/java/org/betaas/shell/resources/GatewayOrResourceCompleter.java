package org.betaas.shell.resources;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.LocalGateway;
import org.betaas.api.instance.PeerGateway;
import org.betaas.shell.NamesCompleter;

/** The first argument of betaas:forecast: this gateway's id, its peers' ids, or a resource name. */
@Service
public class GatewayOrResourceCompleter extends NamesCompleter {

    @Reference(optional = true)
    LocalGateway local;

    @Reference(optional = true)
    InstanceManager instance;

    @Override
    protected Stream<String> names() {
        Stream<String> self = local == null ? Stream.empty() : Stream.of(local.identity().gatewayId());
        Stream<String> peers = instance == null ? Stream.empty()
                : instance.gateways().stream().filter(g -> !g.self() && !g.dismissed()).map(PeerGateway::gatewayId);
        return Stream.concat(Stream.concat(self, peers).distinct(), ResourceNames.all().stream());
    }
}
