package org.betaas.taas.vm.libvirt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import org.betaas.api.vm.VmException;
import org.junit.After;
import org.junit.Test;

public class HangGuardTest {

    private final HangGuard guard = new HangGuard("libvirtd at qemu:///system", Duration.ofMillis(200),
            Executors.newCachedThreadPool());
    private final CountDownLatch hung = new CountDownLatch(1);

    @After
    public void answerAndClose() {
        hung.countDown();
        guard.close();
    }

    @Test
    public void anAnsweredCallGivesItsAnswerAndItsErrors() throws Exception {
        assertEquals("QEMU 7.2.0", guard.call("asked for its version", () -> "QEMU 7.2.0"));
        try {
            guard.call("asked for its domains", () -> {
                throw new VmException("no domain 'betaas-x'");
            });
            fail("the call's own error was lost");
        } catch (VmException e) {
            assertEquals("no domain 'betaas-x'", e.getMessage());
        }
        guard.check(); // nothing is left waiting
    }

    @Test
    public void anUnansweredCallFailsAfterTheBoundAndTheNextOnesFailAtOnceUntilItIsAnswered() throws Exception {
        String first = null;
        try {
            guard.call("asked for its capacity", () -> {
                awaitQuietly(hung);
                return 1;
            });
            fail("waited for a daemon that does not answer");
        } catch (VmException e) {
            assertTrue(e.getMessage(), e.getMessage().matches("libvirtd at qemu:///system has not answered since "
                    + "\\d\\d:\\d\\d:\\d\\d \\(asked for its capacity\\): is it hung\\? .*"));
            first = e.getMessage();
        }
        AtomicInteger asked = new AtomicInteger();
        try {
            guard.call("asked for its domains", asked::incrementAndGet);
            fail("a second call queued behind the unanswered one");
        } catch (VmException e) {
            assertEquals("the same message while the same call goes unanswered", first, e.getMessage());
        }
        assertEquals("the daemon was asked again while it left a call unanswered", 0, asked.get());

        hung.countDown(); // the daemon answers again: its late answer clears the way
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (true) {
            try {
                assertEquals(1, (int) guard.call("asked for its domains", asked::incrementAndGet));
                break;
            } catch (VmException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.onSpinWait();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
