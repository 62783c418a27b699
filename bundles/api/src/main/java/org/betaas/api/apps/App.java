package org.betaas.api.apps;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * An installed application.
 *
 * @param manifest    its manifest
 * @param installedAt when it was installed
 * @param granted     ids of the things it was granted, sorted
 * @param vmId        the service VM running its web application, if any
 * @param problems    what is missing (e.g. no thing matches a need yet, the VM could not be deployed); empty when
 *                    nothing
 */
public record App(AppManifest manifest, Instant installedAt, List<String> granted, Optional<String> vmId,
                  List<String> problems) {

    public App {
        granted = List.copyOf(granted);
        problems = List.copyOf(problems);
    }

    public String name() {
        return manifest.name();
    }
}
