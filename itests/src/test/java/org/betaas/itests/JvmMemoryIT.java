package org.betaas.itests;

import static org.junit.Assert.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.After;
import org.junit.Test;

/**
 * The JVM memory an operator sets is the one the gateway runs with: {@code bin/karaf daemon} of the real
 * distribution, its heap limit read back from Karaf's {@code shell:info}. Karaf 4.4's scripts ignore
 * {@code JAVA_MAX_MEM} themselves, so without bin/setenv's translation the limit is a quarter of the machine's
 * memory, whatever that is.
 */
public class JvmMemoryIT {

    private static final Pattern MAX_HEAP = Pattern.compile("Maximum heap size\\W+([\\d,]+) kbytes");

    private KarafProcess karaf;

    @Test
    public void theHeapLimitIsSetenvsDefaultOrJavaMaxMem() throws Exception {
        karaf = KarafProcess.unpack("jvm-memory");
        karaf.start(null);
        long shipped = maxHeapMiB();
        // the JVM reports the limit less one survivor space of the serial collector's young generation
        assertTrue("shipped default heap limit " + shipped + " MiB, expected 384m", shipped > 300 && shipped <= 384);
        karaf.stop();

        karaf.start("200m");
        long chosen = maxHeapMiB();
        assertTrue("heap limit with JAVA_MAX_MEM=200m: " + chosen + " MiB", chosen > 150 && chosen <= 200);
    }

    private long maxHeapMiB() throws Exception {
        String info = karaf.await("shell:info", out -> MAX_HEAP.matcher(strip(out)).find());
        Matcher m = MAX_HEAP.matcher(strip(info));
        assertTrue(info, m.find());
        return Long.parseLong(m.group(1).replace(",", "")) / 1024;
    }

    /** shell:info prints its labels in bold (ANSI escapes) even in batch mode. */
    private static String strip(String out) {
        return out.replaceAll("\\u001B\\[[0-9;]*m", "");
    }

    @After
    public void stop() throws Exception {
        if (karaf != null) {
            karaf.close();
        }
    }
}
