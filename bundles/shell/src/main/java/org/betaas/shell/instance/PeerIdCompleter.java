package org.betaas.shell.instance;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.PeerGateway;
import org.betaas.shell.NamesCompleter;

/** The ids of the peers this gateway knows. */
@Service
public class PeerIdCompleter extends NamesCompleter {

    @Reference
    InstanceManager instance;

    @Override
    protected Stream<String> names() {
        return instance.gateways().stream().filter(g -> !g.self() && !g.dismissed()).map(PeerGateway::gatewayId);
    }
}
