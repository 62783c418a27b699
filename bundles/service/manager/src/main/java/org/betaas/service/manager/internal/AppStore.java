package org.betaas.service.manager.internal;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Where installed apps are kept: the manifest as given, the token's hash, the service VM. */
public interface AppStore extends AutoCloseable {

    record StoredApp(String name, String manifestJson, String tokenHash, Optional<String> vmId,
                     Instant installedAt) {
        @Override
        public String toString() {
            return "StoredApp[" + name + ", vm=" + vmId.orElse("-") + ", installedAt=" + installedAt + "]";
        }
    }

    /** Every app, in installation order. */
    List<StoredApp> load() throws Exception;

    void insert(StoredApp app) throws Exception;

    void delete(String name) throws Exception;

    @Override
    void close();
}
