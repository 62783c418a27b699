package org.betaas.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.inject.Inject;

import org.betaas.api.resources.ResourceHistory;
import org.betaas.api.resources.ResourceKind;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/** The gateway samples its resources, keeps their history and forecasts them: betaas:resources, betaas:forecast. */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ResourcesIT extends BetaasTestSupport {

    private static final Pattern ROW = Pattern.compile("(?m)^\\s*(cpu|memory|storage)\\s*\\|.*?\\|\\s*(\\d+) samples?");

    @Inject
    private ResourceHistory history;

    @Override
    protected Option[] extraOptions() {
        return new Option[] {
            editConfigurationFilePut("etc/org.betaas.resources.cfg", "interval.seconds", "1"),
            editConfigurationFilePut("etc/org.betaas.resources.cfg", "refit.seconds", "1")
        };
    }

    @Test
    public void resourcesShowsTheThreeResourcesWithTheirHistoryAndForecast() {
        awaitTrue("a few CPU samples", () -> history.series(ResourceKind.CPU).length >= 3);
        String out = executeCommand("betaas:resources");
        System.out.println(out); // kept in failsafe-reports/*-output.txt
        assertTrue(out, out.contains("Sampled every 1 s"));
        Matcher rows = ROW.matcher(out);
        int found = 0;
        while (rows.find()) {
            found++;
            assertTrue(out, Integer.parseInt(rows.group(2)) >= 1);
        }
        assertEquals(out, 3, found);
        assertTrue(out, out.matches("(?s).*cpu\\s*\\|\\s*\\d+\\.\\d %.*"));
        // no VM runs here: the VM Manager is there and its VMs reserve nothing, sample after sample
        assertTrue(out, out.matches("(?s).*\\nReserved by VMs: 0 vCPU, 0 MiB \\(history: [1-9]\\d* of \\d+ samples?\\).*"));
        assertFalse(out, out.contains("NaN"));
        assertFalse(out, out.contains("Exception"));
    }

    @Test
    public void forecastCpuPrintsAForecastWithItsInterval() {
        awaitTrue("a few CPU samples", () -> history.series(ResourceKind.CPU).length >= 3);
        String out = executeCommand("betaas:forecast cpu");
        System.out.println(out);
        assertTrue(out, out.matches("(?s)cpu: Holt forecast from \\d+ samples?, one every 1 s \\(alpha [01]\\.\\d{4},"
                + " beta [01]\\.\\d{4}.*"));
        assertTrue(out, out.matches("(?s).*\\n\\s*1\\s*\\|\\s*1 s\\s*\\|\\s*-?\\d+\\.\\d %\\s*\\|.*"));
        // the default horizon: 5 intervals ahead, no more
        assertTrue(out, out.matches("(?s).*\\n\\s*5\\s*\\|\\s*5 s\\s*\\|.*"));
        assertFalse(out, out.matches("(?s).*\\n\\s*6\\s*\\|\\s*6 s\\s*\\|.*"));
        assertFalse(out, out.contains("NaN"));
    }

    @Test
    public void anUnknownResourceIsNamedWithTheChoices() {
        String out = executeCommand("betaas:forecast disk");
        assertTrue(out, out.contains("Unknown resource 'disk': use one of cpu, memory, storage, battery"));
    }

    @Test
    public void theHistoryIsPersistedInH2() throws Exception {
        awaitTrue("a CPU sample", () -> history.series(ResourceKind.CPU).length >= 1);
        java.io.File data = new java.io.File(System.getProperty("karaf.data"), "betaas/resources.mv.db");
        assertTrue(data + " exists", data.isFile());
    }
}
