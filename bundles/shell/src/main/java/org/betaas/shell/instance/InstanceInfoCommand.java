package org.betaas.shell.instance;

import java.io.PrintStream;
import java.util.Locale;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.instance.InstanceInfo;
import org.betaas.api.instance.InstanceManager;

@Service
@Command(scope = "betaas", name = "instance-info",
        description = "Shows this gateway's membership of its BETaaS instance and the message counters")
public class InstanceInfoCommand implements Action {

    @Reference
    InstanceManager instance;

    @Override
    public Object execute() {
        PrintStream out = System.out;
        InstanceInfo i = instance.info();
        out.println("Instance    " + i.instanceId());
        out.println("Gateway     " + i.gatewayId());
        out.println("State       " + i.state());
        out.println("Detail      " + i.detail());
        out.println("Broker      " + (i.brokerUrl().isEmpty() ? "none" : i.brokerUrl())
                + (i.brokerUser().isEmpty() ? "" : " as " + i.brokerUser()));
        out.println("Key         " + (i.keyConfigured() ? "configured" : "not configured"));
        out.println("Keep-alive  " + i.keepAliveMillis() / 1000 + " s");
        out.println("Trust min   " + String.format(Locale.ROOT, "%.2f", i.trustThreshold())
                + (i.trustThreshold() == 0 ? " (no automatic dismissal)" : " (automatic dismissal below)"));
        for (String p : i.problems()) {
            out.println("Configuration problem: " + p);
        }
        if (!i.counters().isEmpty()) {
            out.println("Messages    " + Format.counters(i.counters()));
        }
        out.flush();
        return null;
    }
}
