package org.betaas.adaptation.broker.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;

import io.moquette.broker.Server;
import io.moquette.broker.config.MemoryConfig;
import io.moquette.broker.security.IAuthenticator;
import io.moquette.broker.security.IAuthorizatorPolicy;
import io.moquette.broker.subscriptions.Topic;

/** Moquette with one account, started and stopped as a unit. Plain Java, so tests run it without OSGi. */
final class EmbeddedBroker implements AutoCloseable {

    private final Server server = new Server();

    EmbeddedBroker(BrokerSettings settings, Path dataDir) throws IOException {
        Files.createDirectories(dataDir);
        IAuthenticator authenticator = (clientId, username, password) -> settings.allowAnonymous()
                || (username != null && password != null && !settings.username().isEmpty()
                && username.equals(settings.username())
                && MessageDigest.isEqual(password, settings.password()));
        IAuthorizatorPolicy permitAll = new IAuthorizatorPolicy() {
            @Override
            public boolean canWrite(Topic topic, String user, String client) {
                return true;
            }

            @Override
            public boolean canRead(Topic topic, String user, String client) {
                return true;
            }
        };
        ClassLoader previous = Thread.currentThread().getContextClassLoader();
        Thread.currentThread().setContextClassLoader(EmbeddedBroker.class.getClassLoader());
        try {
            server.startServer(new MemoryConfig(settings.moquette(dataDir)), List.of(), null, authenticator,
                    permitAll);
        } finally {
            Thread.currentThread().setContextClassLoader(previous);
        }
    }

    int port() {
        return server.getPort();
    }

    int connectedClients() {
        return server.listConnectedClients().size();
    }

    @Override
    public void close() {
        server.stopServer();
    }
}
