package org.betaas.shell.instance;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;
import org.betaas.api.instance.InstanceManager;
import org.betaas.api.instance.PeerGateway;

@Service
@Command(scope = "betaas", name = "gateway-list",
        description = "Lists the gateways of this BETaaS instance: online, resources, forecast headroom, VMs, trust")
public class GatewayListCommand implements Action {

    @Reference
    InstanceManager instance;

    @Override
    public Object execute() {
        long now = System.currentTimeMillis();
        ShellTable table = new ShellTable();
        table.column("Gateway");
        table.column("Online");
        table.column("Resources");
        table.column("Forecast headroom");
        table.column("VMs");
        table.column("Trust");
        table.column("Last seen");
        for (PeerGateway g : instance.gateways()) {
            String online = g.dismissed() ? "dismissed" : g.online() ? "yes" : "no";
            table.addRow().addContent(g.gatewayId() + (g.self() ? " (this)" : ""), online,
                    Format.resources(g.status()), Format.headroom(g.status()),
                    g.status() == null ? 0 : g.status().vms().size(), Format.trust(g.trust()),
                    g.self() ? "-" : Format.ago(g.lastSeen(), now));
        }
        table.print(System.out);
        System.out.println("Instance '" + instance.info().instanceId() + "': " + instance.info().detail());
        System.out.flush();
        return null;
    }
}
