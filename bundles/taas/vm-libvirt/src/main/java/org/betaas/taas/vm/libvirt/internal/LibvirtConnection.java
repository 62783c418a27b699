package org.betaas.taas.vm.libvirt.internal;

import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared libvirt connection to a URI, opened on first use and re-opened when it has died (libvirtd restarted).
 * libvirt connections are thread-safe, so every caller shares it.
 */
final class LibvirtConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    /**
     * Without a callback libvirt prints every error to stderr; the errors reach us as exceptions anyway.
     * Kept in a static field: JNA only holds a weak reference to callbacks.
     */
    private static final Libvirt.VirErrorCallback SILENT = (userData, error) -> { };

    private final String uri;
    private final java.util.function.Consumer<Connect> onConnect;
    private Connect connect;

    LibvirtConnection(String uri) {
        this(uri, c -> { });
    }

    /** @param onConnect called with every newly opened connection (to register event listeners on it) */
    LibvirtConnection(String uri, java.util.function.Consumer<Connect> onConnect) {
        this.uri = uri;
        this.onConnect = onConnect;
    }

    String uri() {
        return uri;
    }

    /** The open connection, reconnecting if needed. */
    synchronized Connect get() throws LibvirtException {
        if (connect != null && !alive(connect)) {
            LOG.warn("Connection to {} lost, reconnecting", uri);
            closeQuietly();
        }
        if (connect == null) {
            Connect.setErrorCallback(SILENT);
            EventLoop.ensureRunning();
            connect = new Connect(uri);
            LOG.info("Connected to {}", uri);
            onConnect.accept(connect);
        }
        return connect;
    }

    private static boolean alive(Connect c) {
        try {
            return c.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    private void closeQuietly() {
        try {
            connect.close();
        } catch (LibvirtException e) {
            LOG.debug("Closing a dead connection to {}: {}", uri, e.getMessage());
        }
        connect = null;
    }

    @Override
    public synchronized void close() {
        if (connect != null) {
            closeQuietly();
        }
    }
}
