package org.betaas.taas.vm.libvirt.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

import org.betaas.api.vm.VmException;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.jna.Libvirt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One shared libvirt connection to a URI, opened on first use and re-opened when it has died (libvirtd restarted).
 * libvirt connections are thread-safe, so every caller shares it.
 *
 * <p>libvirt's client waits for libvirtd without a deadline, so a libvirtd that hangs would hang every caller: the
 * instance status (peers would take this gateway for offline and re-place its VMs), the resource sampler, the shell.
 * Reads ({@link #read}) and opening the connection therefore go through a {@link HangGuard}; operations that change
 * a domain run on the caller's thread (abandoning a define or a destroy half-way would leave its outcome unknown)
 * and fail at once while libvirtd leaves a call unanswered. libvirt's client keepalive is not used: with libvirt
 * 9.0 it crashed the JVM (SIGSEGV in the client's event loop) when it gave up on a libvirtd stopped with SIGSTOP
 * while several calls waited; a call left waiting ends when libvirtd answers or goes away.
 */
final class LibvirtConnection implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LibvirtConnection.class);

    /**
     * Without a callback libvirt prints every error to stderr; the errors reach us as exceptions anyway.
     * Kept in a static field: JNA only holds a weak reference to callbacks.
     */
    private static final Libvirt.VirErrorCallback SILENT = (userData, error) -> { };

    /** A read of libvirtd's state on the open connection. */
    interface Read<T> {
        T apply(Connect c) throws LibvirtException, VmException;
    }

    private final String uri;
    private final Consumer<Connect> onConnect;
    private final HangGuard guard;
    private volatile Connect connect;
    private volatile boolean closed;

    /**
     * @param answerBound how long a read or a connection attempt waits for libvirtd
     * @param onConnect   called with every newly opened connection (to register event listeners on it)
     */
    LibvirtConnection(String uri, Duration answerBound, Consumer<Connect> onConnect) {
        this.uri = uri;
        this.onConnect = onConnect;
        this.guard = new HangGuard("libvirtd at " + uri, answerBound, Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "betaas-libvirt-call");
            t.setDaemon(true);
            return t;
        }));
    }

    String uri() {
        return uri;
    }

    /**
     * The open connection, for an operation that changes a domain: it fails at once while libvirtd leaves a call
     * unanswered, and connecting waits at most the bound.
     */
    Connect get() throws VmException {
        guard.check();
        Connect c = connect;
        if (c != null && alive(c)) {
            return c;
        }
        try {
            return guard.call("connecting", this::open);
        } catch (LibvirtException e) {
            throw unreachable(e); // open() converts its own; this only satisfies the compiler
        }
    }

    /** Runs a read on the connection (opening it if needed); the caller waits at most the bound. */
    <T> T read(String what, Read<T> read) throws LibvirtException, VmException {
        return guard.call(what, () -> read.apply(open()));
    }

    /** Opens the connection if it is not open, one caller at a time. */
    private synchronized Connect open() throws VmException {
        Connect c = connect;
        if (c != null && alive(c)) {
            return c;
        }
        if (c != null) {
            LOG.warn("Connection to {} lost, reconnecting", uri);
            connect = null;
            closeQuietly(c);
        }
        if (closed) {
            throw new VmException("The connection to libvirt at " + uri + " is closed (the driver is stopping)");
        }
        try {
            Connect.setErrorCallback(SILENT);
            EventLoop.ensureRunning();
            c = new Connect(uri);
        } catch (LibvirtException e) {
            throw unreachable(e);
        } catch (LinkageError e) {
            throw new VmException("the libvirt client library is not installed (apt-get install libvirt0)");
        }
        LOG.info("Connected to {}", uri);
        onConnect.accept(c);
        if (closed) { // closed while libvirtd was answering slowly
            closeQuietly(c);
            throw new VmException("The connection to libvirt at " + uri + " is closed (the driver is stopping)");
        }
        connect = c;
        return c;
    }

    private VmException unreachable(LibvirtException e) {
        return new VmException("libvirt at " + uri + " is not reachable: " + e.getMessage()
                + " (start libvirtd, or set uri in etc/org.betaas.vm.libvirt.cfg)", e);
    }

    private static boolean alive(Connect c) {
        try {
            return c.isAlive();
        } catch (LibvirtException e) {
            return false;
        }
    }

    private void closeQuietly(Connect c) {
        try {
            c.close();
        } catch (LibvirtException e) {
            LOG.debug("Closing a dead connection to {}: {}", uri, e.getMessage());
        }
    }

    /** Closes the connection, waiting for libvirtd at most the bound (a hung one must not hang the shutdown). */
    @Override
    public void close() {
        closed = true;
        Connect c = connect;
        connect = null;
        if (c != null) {
            try {
                guard.call("closing the connection", () -> {
                    closeQuietly(c);
                    return null;
                });
            } catch (LibvirtException | VmException e) {
                LOG.debug("Closing the connection to {}: {}", uri, e.getMessage());
            }
        }
        guard.close();
    }
}
