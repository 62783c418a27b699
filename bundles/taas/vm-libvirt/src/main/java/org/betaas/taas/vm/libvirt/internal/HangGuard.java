package org.betaas.taas.vm.libvirt.internal;

import java.time.Duration;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.betaas.api.vm.VmException;
import org.libvirt.LibvirtException;

/**
 * Bounds how long a caller waits for a daemon that may hang (libvirtd stopped, deadlocked, or stuck on storage
 * accepts requests and never answers; libvirt's client has no deadline of its own). A call runs on a pool thread
 * and its caller waits at most the bound; libvirt cannot interrupt a call, so one that gets no answer is left to
 * finish in the background. While a call has been waiting longer than the bound, every new call fails at once,
 * naming what has gone unanswered, instead of adding another thread to the wait: the instance status, the
 * resource sampler and the shell go on without the hypervisor until the daemon answers again.
 */
final class HangGuard implements AutoCloseable {

    /** A call to the daemon. */
    interface Call<T> {
        T call() throws LibvirtException, VmException;
    }

    /** A call in flight: what it asks and since when (System.nanoTime(), and the wall clock for messages). */
    private record Pending(String what, long since, LocalTime at) {
    }

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final String daemon;
    private final long boundNanos;
    private final ExecutorService executor;
    private final Map<Object, Pending> pending = new ConcurrentHashMap<>();

    /**
     * @param daemon   names the daemon in errors, e.g. "libvirtd at qemu:///system"
     * @param bound    how long a caller waits
     * @param executor runs the calls; it must not queue them (a thread per call, as a cached pool gives)
     */
    HangGuard(String daemon, Duration bound, ExecutorService executor) {
        this.daemon = daemon;
        this.boundNanos = bound.toNanos();
        this.executor = executor;
    }

    /** Runs the call, waiting at most the bound; fails at once while another call is unanswered past it. */
    <T> T call(String what, Call<T> task) throws LibvirtException, VmException {
        check();
        Object token = new Object();
        Pending call = new Pending(what, System.nanoTime(), LocalTime.now());
        pending.put(token, call);
        Future<T> answer;
        try {
            answer = executor.submit(() -> {
                try {
                    return task.call();
                } finally {
                    pending.remove(token);
                }
            });
        } catch (RejectedExecutionException e) {
            pending.remove(token);
            throw new VmException("The connection to " + daemon + " is closed (the driver is stopping)");
        }
        try {
            return answer.get(boundNanos, TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw unanswered(call);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new VmException("Interrupted while waiting for " + daemon + " (" + what + ")");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof LibvirtException l) {
                throw l;
            }
            if (cause instanceof VmException v) {
                throw v;
            }
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new VmException(daemon + " failed while " + what + ": " + cause, cause);
        }
    }

    /** Fails when a call has been waiting for the daemon longer than the bound. */
    void check() throws VmException {
        long now = System.nanoTime();
        Pending oldest = null;
        for (Pending p : pending.values()) {
            if (oldest == null || p.since() - oldest.since() < 0) {
                oldest = p;
            }
        }
        if (oldest != null && now - oldest.since() >= boundNanos) {
            throw unanswered(oldest);
        }
    }

    /** The same message for as long as the same call goes unanswered (the VM Manager warns when it changes). */
    private VmException unanswered(Pending call) {
        return new VmException(daemon + " has not answered since " + TIME.format(call.at()) + " (" + call.what()
                + "): is it hung? Restart it (systemctl restart libvirtd): its VMs keep running meanwhile");
    }

    /** Stops taking calls; those still waiting for the daemon are left to end on their own. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
