package org.betaas.shell.things;

import java.util.stream.Stream;

import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.betaas.api.things.Thing;
import org.betaas.api.things.ThingRegistry;
import org.betaas.shell.NamesCompleter;

/** Completes the ids of the things the registry knows. */
@Service
public class ThingIdCompleter extends NamesCompleter {

    @Reference
    ThingRegistry registry;

    @Override
    protected Stream<String> names() {
        return registry.things().stream().map(Thing::id);
    }
}
