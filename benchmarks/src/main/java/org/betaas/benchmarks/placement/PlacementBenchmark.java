package org.betaas.benchmarks.placement;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.taas.resources.placement.AllocationPolicy;
import org.betaas.taas.resources.placement.PlacementRequest;
import org.betaas.taas.resources.placement.PolicySettings;
import org.betaas.taas.resources.placement.RemoteCloud;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Time of one BETaaS placement decision, reasons included, over N gateways of mixed sizes and loads. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PlacementBenchmark {

    @Param({"10", "100", "1000", "10000"})
    public int gateways;

    private final AllocationPolicy policy = new AllocationPolicy(PolicySettings.DEFAULTS);
    private final List<RemoteCloud> clouds = List.of(new RemoteCloud("cloud", true, true, 10, 3));
    private List<GatewayCandidate> candidates;
    private PlacementRequest service;
    private PlacementRequest compute;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(42);
        candidates = new ArrayList<>(gateways);
        for (int i = 0; i < gateways; i++) {
            int cores = 2 << random.nextInt(3);
            double vcpus = cores * 2;
            double memory = 1024.0 * cores;
            double load = random.nextDouble() * 0.6;
            int vms = random.nextInt(3);
            candidates.add(new GatewayCandidate("gw-" + i, "x86_64", true, 0.4 + 0.6 * random.nextDouble(),
                    cores * (0.6 + random.nextDouble()), vms, new Resources(vcpus, memory, 65536),
                    new Resources(vms, vms * 512, vms * 2048), new Resources(load * vcpus, memory / 4, 4096),
                    new Resources(Math.min(vcpus, load * vcpus * 1.3), memory / 4, 4096)));
        }
        service = PlacementRequest.of(SimTemplates.ALL.get(0), "jmh", SimTemplates.ALL);
        compute = PlacementRequest.of(SimTemplates.ALL.get(5), "jmh", SimTemplates.ALL);
    }

    @Benchmark
    public PlacementDecision decideLightService() {
        return policy.decide(service, candidates, clouds);
    }

    @Benchmark
    public PlacementDecision decideBigDataCompute() {
        return policy.decide(compute, candidates, clouds);
    }
}
