package org.betaas.taas.resources.internal;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.OptionalDouble;

import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.Forecaster;
import org.betaas.api.resources.ResourceKind;
import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.betaas.api.resources.VmReservation;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ResourceSamplerTest {

    @Rule
    public TemporaryFolder folder = new TemporaryFolder();

    /** A clock the test moves. */
    private static final class TestClock extends Clock {
        Instant now = Instant.parse("2026-01-01T00:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    /** A monitor whose CPU load rises by 0.01 per sample; no battery. */
    private static final class RisingMonitor implements ResourceMonitor {
        final TestClock clock;
        int calls;

        RisingMonitor(TestClock clock) {
            this.clock = clock;
        }

        @Override
        public ResourceSnapshot current() {
            calls++;
            return new ResourceSnapshot(clock.now, 4, 0.1 + 0.01 * calls, 8L << 30, (2L << 30) + calls, 100L << 30,
                    50L << 30, OptionalDouble.empty());
        }
    }

    /** Counts fits. */
    private static final class CountingForecaster implements Forecaster {
        final HoltForecaster holt = new HoltForecaster();
        int fits;

        @Override
        public Forecast forecast(double[] series, int horizon) {
            fits++;
            return holt.forecast(series, horizon);
        }
    }

    private final TestClock clock = new TestClock();
    private final RisingMonitor monitor = new RisingMonitor(clock);
    private final CountingForecaster forecaster = new CountingForecaster();
    // a sample a minute, 1 hour kept, refit every 10 minutes
    private final ResourceSettings settings = ResourceSettings.parse("60", "1", "600", "5", "", "/unused");

    private String url() {
        return "jdbc:h2:file:" + folder.getRoot().toPath().resolve("resources").toAbsolutePath();
    }

    private void sampleMinutes(ResourceSampler sampler, int minutes) {
        for (int i = 0; i < minutes; i++) {
            sampler.sample();
            sampler.refitIfDue();
            clock.now = clock.now.plus(Duration.ofMinutes(1));
        }
    }

    @Test
    public void theHistoryIsBoundedAndHasOnlyTheResourcesTheGatewayHas() throws Exception {
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            ResourceSampler sampler = new ResourceSampler(monitor, store, settings, forecaster, clock);
            sampleMinutes(sampler, 90);
            assertEquals(60, sampler.series(ResourceKind.CPU).length);
            assertEquals(60, sampler.series(ResourceKind.MEMORY).length);
            assertEquals(0, sampler.series(ResourceKind.BATTERY).length);
        }
    }

    @Test
    public void alphaAndBetaAreRefittedPeriodicallyNotOnEverySample() throws Exception {
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            ResourceSampler sampler = new ResourceSampler(monitor, store, settings, forecaster, clock);
            sampleMinutes(sampler, 55);
            int kinds = ResourceKind.values().length;
            // a fit with each sample while the history holds fewer than 30 (minutes 0..28), then every 10 minutes:
            // 38, 48
            int fits = (ResourceSampler.FIT_EVERY_SAMPLE_BELOW - 1 + 2) * kinds;
            assertEquals(fits, forecaster.fits);
            sampler.forecast(ResourceKind.CPU);
            assertEquals("a forecast with no new sample is the cached one", fits, forecaster.fits);
        }
    }

    @Test
    public void betweenFitsTheForecastFollowsEachNewSampleWithTheFittedAlphaAndBeta() {
        ResourceSampler sampler = new ResourceSampler(monitor, null, settings, forecaster, clock);
        sampleMinutes(sampler, 40); // the last fit: minute 38
        int fits = forecaster.fits;
        Forecast atFit = sampler.forecast(ResourceKind.CPU);
        sampleMinutes(sampler, 3);
        Forecast now = sampler.forecast(ResourceKind.CPU);
        assertEquals("no fit due within the 10 minutes", fits, forecaster.fits);
        assertEquals(atFit.alpha(), now.alpha(), 0);
        assertEquals(atFit.beta(), now.beta(), 0);
        // the CPU load rose 0.01 a sample: the three samples since the fit moved the forecast on
        assertTrue(now.level() + " after " + atFit.level(), now.level() > atFit.level() + 0.02);
        Forecast filtered = HoltForecaster.fixed(atFit.alpha(), atFit.beta())
                .forecast(sampler.series(ResourceKind.CPU), now.forecasts().size());
        assertEquals(filtered.level(), now.level(), 1e-12);
        assertEquals(filtered.forecasts().get(0), now.forecasts().get(0), 1e-12);
    }

    @Test
    public void aNewGatewaysForecastFollowsItsFirstSamples() {
        ResourceSampler sampler = new ResourceSampler(monitor, null, settings, forecaster, clock);
        sampleMinutes(sampler, 1);
        sampler.sample(); // no refit asked for: the forecast is asked right after the sample
        assertEquals("the latest sample, not the first one", 0.1 + 0.01 * 2,
                sampler.forecast(ResourceKind.CPU).forecasts().get(0), 1e-12);
    }

    @Test
    public void aForecastIsPossibleRightAfterARestart() throws Exception {
        double[] before;
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            ResourceSampler sampler = new ResourceSampler(monitor, store, settings, forecaster, clock);
            sampleMinutes(sampler, 30);
            before = sampler.series(ResourceKind.CPU);
        }
        clock.now = clock.now.plus(Duration.ofMinutes(4)); // the reboot
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            ResourceSampler restarted = new ResourceSampler(monitor, store, settings, new HoltForecaster(), clock);
            assertEquals(30 * 3, restarted.load());
            assertArrayEquals(before, restarted.series(ResourceKind.CPU), 0);
            Forecast f = restarted.forecast(ResourceKind.CPU);
            // CPU rose 0.01 a minute: Holt continues the line
            assertEquals(0.1 + 0.01 * 31, f.forecasts().get(0), 1e-6);
            restarted.sample();
            double[] after = restarted.series(ResourceKind.CPU);
            assertEquals("30 samples, 4 missed minutes, 1 new sample", 35, after.length);
            assertTrue(Double.isNaN(after[31]));
            assertFalse(Double.isNaN(restarted.forecast(ResourceKind.CPU).forecasts().get(0)));
        }
    }

    @Test
    public void forecastsStayWithinWhatTheResourceCanBe() {
        ResourceMonitor soaring = () -> {
            monitor.calls += 30;
            return new ResourceSnapshot(clock.now, 2, Math.min(1, 0.3 * monitor.calls / 30.0), 1000,
                    Math.min(1000, 300L * monitor.calls / 30), 0, 0, OptionalDouble.of(100 - monitor.calls));
        };
        ResourceSettings everyMinute = ResourceSettings.parse("60", "1", "60", "5", "", "/unused");
        ResourceSampler sampler = new ResourceSampler(soaring, null, everyMinute, forecaster, clock);
        sampleMinutes(sampler, 3); // CPU 30, 60, 90 %: Holt's line goes to 240 % in 5 steps
        for (ResourceKind kind : new ResourceKind[] {ResourceKind.CPU, ResourceKind.MEMORY, ResourceKind.BATTERY}) {
            Forecast f = sampler.forecast(kind);
            double max = kind == ResourceKind.CPU ? 1 : kind == ResourceKind.MEMORY ? 1000 : 100;
            for (java.util.List<Double> values : java.util.List.of(f.forecasts(), f.lower(), f.upper())) {
                for (double v : values) {
                    assertTrue(kind + " " + values, v >= 0 && v <= max);
                }
            }
        }
        assertEquals("rising CPU is forecast at its ceiling", 1.0, sampler.forecast(ResourceKind.CPU).forecasts()
                .get(4), 0);
        assertTrue("storage total unknown (0): not clipped to 0", sampler.forecast(ResourceKind.STORAGE)
                .forecasts().stream().allMatch(v -> v == 0));
    }

    @Test
    public void withoutADatabaseTheHistoryIsKeptInMemory() {
        ResourceSampler sampler = new ResourceSampler(monitor, null, settings, forecaster, clock);
        assertEquals(0, sampler.load());
        sampleMinutes(sampler, 3);
        assertEquals(3, sampler.series(ResourceKind.STORAGE).length);
        assertEquals(5, sampler.forecast(ResourceKind.STORAGE).horizon());
    }

    @Test
    public void whatTheVmsReserveIsSampledStoredAndReloaded() throws Exception {
        java.util.List<org.betaas.api.vm.VmInstance> vms = new java.util.ArrayList<>();
        boolean[] managerThere = {true};
        java.util.function.Supplier<ReservedAmounts> reservations =
                () -> managerThere[0] ? ReservedAmounts.of(vms, "libvirt") : null;
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            ResourceSampler sampler = new ResourceSampler(monitor, store, settings, forecaster, clock, reservations);
            sampleMinutes(sampler, 2); // no VM yet: 0 reserved
            vms.add(vm("a", "libvirt", org.betaas.api.vm.VmState.RUNNING, 2, 1024));
            vms.add(vm("b", "libvirt", org.betaas.api.vm.VmState.STOPPED, 1, 512));
            vms.add(vm("c", "openstack", org.betaas.api.vm.VmState.RUNNING, 8, 8192)); // not on this gateway
            vms.add(vm("d", "libvirt", org.betaas.api.vm.VmState.DESTROYED, 4, 4096)); // reserves nothing
            sampleMinutes(sampler, 1);
            managerThere[0] = false; // the VM Manager went away: a gap, not a zero
            sampleMinutes(sampler, 1);
            managerThere[0] = true;
            vms.remove(0);
            sampleMinutes(sampler, 1);
            assertArrayEquals(new double[] {0, 0, 3, Double.NaN, 1}, sampler.series(VmReservation.VM_VCPUS), 0);
            assertArrayEquals(new double[] {0, 0, 1536, Double.NaN, 512}, sampler.series(VmReservation.VM_MEMORY), 0);
            // the measured resources are unaffected
            assertEquals(5, sampler.series(ResourceKind.CPU).length);
        }
        try (ResourceHistoryStore store = ResourceHistoryStore.open(url())) {
            ResourceSampler restarted = new ResourceSampler(monitor, store, settings, forecaster, clock, () -> null);
            assertEquals("5 samples of 3 resources + 4 of 2 reservations", 5 * 3 + 4 * 2, restarted.load());
            assertArrayEquals(new double[] {0, 0, 3, Double.NaN, 1}, restarted.series(VmReservation.VM_VCPUS), 0);
        }
    }

    private static org.betaas.api.vm.VmInstance vm(String id, String driver, org.betaas.api.vm.VmState state,
                                                   int vcpus, long memory) {
        return new org.betaas.api.vm.VmInstance(id, "t", driver, "here", state, Instant.EPOCH, vcpus, memory);
    }
}
