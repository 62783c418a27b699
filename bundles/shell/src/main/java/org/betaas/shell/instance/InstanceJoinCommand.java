package org.betaas.shell.instance;

import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.Session;
import org.betaas.api.instance.InstanceManager;

@Service
@Command(scope = "betaas", name = "instance-join",
        description = "Joins this gateway to its BETaaS instance (stored in etc/org.betaas.instance.cfg)")
public class InstanceJoinCommand implements Action {

    @Reference
    InstanceManager instance;

    @Reference
    Session session;

    @Option(name = "--broker", description = "The instance's MQTT broker, tcp://HOST:PORT or ssl://HOST:PORT")
    String broker;

    @Option(name = "--key", description = "The instance key (shared secret, at least 16 characters); prefer"
            + " --ask-key, which keeps it out of the shell history")
    String key;

    @Option(name = "--ask-key", description = "Asks for the instance key without echoing it")
    boolean askKey;

    @Override
    public Object execute() throws Exception {
        String k = key;
        if (askKey) {
            k = session.readLine("Instance key: ", '*');
        }
        try {
            instance.join(broker, k);
        } catch (IllegalArgumentException e) {
            System.out.println("Not joined: " + e.getMessage());
            System.out.flush();
            return null;
        }
        // the key is stored, never printed
        System.out.println("Joining instance '" + instance.info().instanceId() + "'"
                + (broker == null ? "" : " through " + broker) + (k == null ? "" : " with the new key")
                + ": see betaas:instance-info and betaas:gateway-list");
        System.out.flush();
        return null;
    }
}
