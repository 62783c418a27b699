package org.betaas.shell.instance;

import java.util.List;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.PeerGateway;

/** The ids of the peers this gateway knows. */
@Service
public class PeerIdCompleter implements Completer {

    @Reference
    InstanceManager instance;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter ids = new StringsCompleter();
        for (PeerGateway g : instance.gateways()) {
            if (!g.self() && !g.dismissed()) {
                ids.getStrings().add(g.gatewayId());
            }
        }
        return ids.complete(session, commandLine, candidates);
    }
}
