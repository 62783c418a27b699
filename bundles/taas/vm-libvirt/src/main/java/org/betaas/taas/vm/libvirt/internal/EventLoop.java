package org.betaas.taas.vm.libvirt.internal;

import org.libvirt.Library;
import org.libvirt.LibvirtException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libvirt's default event loop, which delivers domain events to listeners. It is process-wide: initialised once
 * before the first connection (connections opened earlier never see events), run by one daemon thread.
 */
final class EventLoop {

    private static final Logger LOG = LoggerFactory.getLogger(EventLoop.class);
    private static Thread thread;
    private static boolean failed;

    private EventLoop() {
    }

    /** Starts the loop if it does not run yet; returns whether events can be delivered. */
    static synchronized boolean ensureRunning() {
        if (thread != null && thread.isAlive()) {
            return true;
        }
        if (failed) {
            return false;
        }
        try {
            if (thread == null) {
                Library.initEventLoop();
            }
            thread = new Thread(EventLoop::run, "betaas-libvirt-events");
            thread.setDaemon(true);
            thread.start();
            return true;
        } catch (LibvirtException | LinkageError e) {
            failed = true;
            LOG.warn("libvirt events are not available, VM states are polled only: {}", e.getMessage());
            return false;
        }
    }

    private static void run() {
        try {
            Library.runEventLoop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (LibvirtException | RuntimeException e) {
            LOG.warn("libvirt event loop stopped: {}", e.getMessage());
        }
    }
}
