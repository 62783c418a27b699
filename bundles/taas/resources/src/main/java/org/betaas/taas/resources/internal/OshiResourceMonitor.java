package org.betaas.taas.resources.internal;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.OptionalDouble;

import org.betaas.api.resources.ResourceMonitor;
import org.betaas.api.resources.ResourceSnapshot;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import oshi.SystemInfo;
import oshi.hardware.CentralProcessor;
import oshi.hardware.GlobalMemory;
import oshi.hardware.HardwareAbstractionLayer;
import oshi.hardware.PowerSource;

/**
 * Samples this gateway's resources through OSHI. Storage is that of the file system holding Karaf's data
 * folder, where VM images and the gateway's databases live.
 */
@Component(property = "service.description=BETaaS resource monitor (OSHI)")
public final class OshiResourceMonitor implements ResourceMonitor {

    private static final Logger LOG = LoggerFactory.getLogger(OshiResourceMonitor.class);

    private final HardwareAbstractionLayer hardware = new SystemInfo().getHardware();
    private final Path dataFolder = Path.of(System.getProperty("karaf.data", "."));
    // CPU load is measured between two calls: the previous ticks are the start of the current period. Several
    // callers (the sampler, the instance status, the shell) ask at their own pace; a period shorter than
    // MIN_PERIOD_NANOS holds too few kernel ticks (10 ms each) and would read as 0 %, so such a caller gets the
    // load of the last full period instead.
    private static final long MIN_PERIOD_NANOS = 1_000_000_000L;
    private long[] previousTicks = hardware.getProcessor().getSystemCpuLoadTicks();
    private long previousNanos = System.nanoTime();
    private double lastLoad;
    private boolean measured;

    @Override
    public synchronized ResourceSnapshot current() {
        CentralProcessor cpu = hardware.getProcessor();
        long now = System.nanoTime();
        if (!measured && now - previousNanos < MIN_PERIOD_NANOS) {
            // no full period yet (the first sample, taken as the gateway starts): wait for one once rather than
            // record 0 %, which would be the first point of every forecast after a first boot
            try {
                Thread.sleep((MIN_PERIOD_NANOS - (now - previousNanos)) / 1_000_000 + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            now = System.nanoTime();
        }
        if (now - previousNanos >= MIN_PERIOD_NANOS) {
            measured = true;
            lastLoad = Math.max(0, cpu.getSystemCpuLoadBetweenTicks(previousTicks));
            previousTicks = cpu.getSystemCpuLoadTicks();
            previousNanos = now;
        }
        double load = lastLoad;
        GlobalMemory memory = hardware.getMemory();
        long storageTotal = 0;
        long storageUsed = 0;
        try {
            FileStore store = Files.getFileStore(dataFolder);
            storageTotal = store.getTotalSpace();
            storageUsed = storageTotal - store.getUsableSpace();
        } catch (IOException e) {
            LOG.warn("Cannot read the storage of {}: {}", dataFolder, e.getMessage());
        }
        return new ResourceSnapshot(Instant.now(), cpu.getLogicalProcessorCount(), Math.max(0, load),
                memory.getTotal(), memory.getTotal() - memory.getAvailable(), storageTotal, storageUsed, battery());
    }

    private OptionalDouble battery() {
        List<PowerSource> sources = hardware.getPowerSources();
        return sources.stream()
                .filter(s -> s.getMaxCapacity() > 0)
                .mapToDouble(s -> s.getRemainingCapacityPercent() * 100)
                .average();
    }
}
