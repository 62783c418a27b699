package org.betaas.shell.instance;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.instance.InstanceManager;

@Service
@Command(scope = "betaas", name = "instance-leave",
        description = "Leaves the BETaaS instance: publishes this gateway offline and disconnects")
public class InstanceLeaveCommand implements Action {

    @Reference
    InstanceManager instance;

    @Override
    public Object execute() {
        instance.leave();
        System.out.println("Leaving instance '" + instance.info().instanceId()
                + "'; betaas:instance-join joins again");
        System.out.flush();
        return null;
    }
}
