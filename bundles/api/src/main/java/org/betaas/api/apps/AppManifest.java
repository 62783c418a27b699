package org.betaas.api.apps;

import java.util.List;
import java.util.Optional;

/**
 * What an application is and needs.
 *
 * @param name   unique name of the application on this instance
 * @param owner  who is responsible for it
 * @param things the thing services it needs
 * @param webApp the web application to run in a service VM, if any
 */
public record AppManifest(String name, String owner, List<ThingNeed> things, Optional<WebApp> webApp) {

    public AppManifest {
        things = List.copyOf(things);
    }

    /**
     * A web application (war) run in a service VM.
     *
     * @param war      path or URL of the war
     * @param template the VM template to run it in ({@code service} by default)
     */
    public record WebApp(String war, String template) {
    }
}
