package org.betaas.shell.instance;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.instance.InstanceManager;

@Service
@Command(scope = "betaas", name = "instance-dismiss",
        description = "Dismisses a gateway from the BETaaS instance: every member drops its messages")
public class InstanceDismissCommand implements Action {

    @Reference
    InstanceManager instance;

    @Argument(index = 0, name = "gateway", required = true, description = "The gateway id (see betaas:gateway-list)")
    @Completion(PeerIdCompleter.class)
    String gateway;

    @Override
    public Object execute() {
        try {
            instance.dismiss(gateway);
            System.out.println("Dismissed '" + gateway + "' from instance '" + instance.info().instanceId() + "'");
        } catch (IllegalArgumentException e) {
            System.out.println("Not dismissed: " + e.getMessage());
        }
        System.out.flush();
        return null;
    }
}
