package org.betaas.benchmarks.placement;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.resources.Forecast;
import org.betaas.api.resources.Forecaster;
import org.betaas.api.vm.VmTemplate;
import org.betaas.taas.resources.forecast.HoltForecaster;
import org.betaas.taas.resources.placement.PlacementRequest;
import org.betaas.taas.resources.placement.RemoteCloud;

/**
 * Replays a seeded stream of VM requests over simulated gateways whose background CPU load follows real traces,
 * placing each with one policy, and counts what a user of the instance notices.
 *
 * <p>The model, in 5-minute steps (the traces' resolution):
 * <ul>
 * <li>gateways are small (2 cores, 2 GiB, speed 0.6), medium (4 cores, 4 GiB, speed 1) or large (8 cores,
 * 16 GiB, speed 1.5) with probabilities 0.5/0.35/0.15; they offer 2 vCPUs per core; a quarter of their memory
 * and a tenth of their disk is taken by the system; their background CPU use is one of the six CPU traces
 * (random trace, random offset) times their vCPUs;</li>
 * <li>requests arrive as a Poisson process whose rate keeps the offered memory at {@code load} times what the
 * gateways have free, with the template mix of {@link SimTemplates} and exponential lifetimes (mean 12 h);</li>
 * <li>the remote cloud is reachable and takes at most {@code remoteLimit} VMs at a time;</li>
 * <li>when a gateway's actual background load plus its VMs' vCPUs exceed its vCPUs, the newest VMs are moved
 * (placed again by the same policy, elsewhere) until it fits; a VM that finds no place fails;</li>
 * <li>the BETaaS policy sees a forecast of each gateway's background CPU over the horizon (default one step, 5
 * minutes, as the gateway's default), made every step from the last day of samples (Holt: α and β fitted once a
 * day, the filter run at each step with them): the peak point forecast and the peak upper bound of its 95 %
 * prediction interval; the baselines see the current load.</li>
 * </ul>
 * The request stream and the gateways depend on the seed only, so every policy sees the same ones.
 */
final class Simulator {

    static final int HISTORY = 288;
    /** Steps kept after the simulated week in each trace: the longest horizon the gateways were drawn for. */
    static final int TRACE_MARGIN = 12;
    /** Forecasts are made every step, from the samples up to now, like the baselines see the current load. */
    static final int REFIT = 1;
    /** Holt's α and β are fitted once a day; the forecasts of every step run the filter with them. */
    static final int REFIT_PARAMETERS = 288;
    static final double MEAN_LIFETIME = 144;
    static final double VCPUS_PER_CORE = 2;

    /** What to simulate. */
    record Config(int gateways, long seed, int steps, double load, int remoteLimit, int horizon) {

        static Config of(int gateways, long seed) {
            return new Config(gateways, seed, 2016, 1.2, Math.max(2, gateways / 10), 1);
        }
    }

    /** What happened. */
    record Result(String policy, String forecaster, Config config, int requests, int accepted, int requestsLargest,
                  int acceptedLargest, int local, int remote, int remoteRequests, int rejected, int moved,
                  int failed) {

        String toJson() {
            return "{\"policy\":\"" + policy + "\",\"forecaster\":\"" + forecaster + "\",\"gateways\":"
                    + config.gateways() + ",\"seed\":" + config.seed() + ",\"steps\":" + config.steps()
                    + ",\"load\":" + config.load() + ",\"remoteLimit\":" + config.remoteLimit()
                    + ",\"horizon\":" + config.horizon()
                    + ",\"requests\":" + requests + ",\"accepted\":" + accepted + ",\"requestsLargest\":"
                    + requestsLargest + ",\"acceptedLargest\":" + acceptedLargest + ",\"local\":" + local
                    + ",\"remote\":" + remote + ",\"remoteRequests\":" + remoteRequests + ",\"rejected\":"
                    + rejected + ",\"moved\":" + moved + ",\"failed\":" + failed + "}";
        }
    }

    private record Arrival(int step, VmTemplate template, int lifetime) {
    }

    private static final class Vm {
        final VmTemplate template;
        final int end;

        Vm(VmTemplate template, int end) {
            this.template = template;
            this.end = end;
        }
    }

    private static final class Gateway {
        final String id;
        final double vcpus;
        final double memory;
        final double disk;
        final double power;
        final double[] trace;
        final int offset;
        final Deque<Vm> vms = new ArrayDeque<>();
        double reservedVcpus;
        double reservedMemory;
        double reservedDisk;
        double forecast;
        double forecastUpper;
        double alpha = Double.NaN;
        double beta = Double.NaN;

        Gateway(String id, int cores, double memory, double disk, double speed, double[] trace, int offset) {
            this.id = id;
            this.vcpus = cores * VCPUS_PER_CORE;
            this.memory = memory;
            this.disk = disk;
            this.power = cores * speed;
            this.trace = trace;
            this.offset = offset;
        }

        /** Background use at step t, in vCPUs. */
        double background(int t) {
            return trace[offset + t] * vcpus;
        }

        void add(Vm vm) {
            vms.addLast(vm);
            reservedVcpus += vm.template.vcpus();
            reservedMemory += vm.template.memoryMiB();
            reservedDisk += vm.template.diskMiB();
        }

        void remove(Vm vm) {
            vms.remove(vm);
            reservedVcpus -= vm.template.vcpus();
            reservedMemory -= vm.template.memoryMiB();
            reservedDisk -= vm.template.diskMiB();
        }

        GatewayCandidate candidate(int t, boolean forecasts) {
            Resources system = new Resources(0, memory / 4, disk / 10);
            Resources point = forecasts ? system.plus(new Resources(forecast, 0, 0))
                    : system.plus(new Resources(background(t), 0, 0));
            Resources upper = forecasts ? system.plus(new Resources(forecastUpper, 0, 0)) : point;
            return new GatewayCandidate(id, "x86_64", true, 1.0, power, vms.size(),
                    new Resources(vcpus, memory, disk), new Resources(reservedVcpus, reservedMemory, reservedDisk),
                    point, upper);
        }
    }

    private final Config config;
    private final List<Gateway> gateways = new ArrayList<>();
    private final Map<String, Gateway> byId = new HashMap<>();
    private final List<Arrival> arrivals = new ArrayList<>();
    private final VmTemplate largest;

    Simulator(Config config, List<double[]> traces) {
        this.config = config;
        SplittableRandom env = new SplittableRandom(config.seed());
        SplittableRandom gatewayRandom = env.split();
        SplittableRandom requestRandom = env.split();
        double freeMemory = 0;
        for (int i = 0; i < config.gateways(); i++) {
            double u = gatewayRandom.nextDouble();
            double[] trace = traces.get(gatewayRandom.nextInt(traces.size()));
            int maxOffset = trace.length - config.steps() - TRACE_MARGIN - 1;
            if (maxOffset <= HISTORY) {
                throw new IllegalArgumentException("--steps " + config.steps() + " is too long for the traces ("
                        + trace.length + " samples): use at most " + (trace.length - HISTORY - TRACE_MARGIN - 2));
            }
            int offset = HISTORY + gatewayRandom.nextInt(maxOffset - HISTORY);
            Gateway g = u < 0.5 ? new Gateway("gw-" + i, 2, 2048, 32768, 0.6, trace, offset)
                    : u < 0.85 ? new Gateway("gw-" + i, 4, 4096, 65536, 1.0, trace, offset)
                    : new Gateway("gw-" + i, 8, 16384, 262144, 1.5, trace, offset);
            gateways.add(g);
            byId.put(g.id, g);
            freeMemory += g.memory * 0.75;
        }
        double meanMemory = SimTemplates.MIX.stream()
                .mapToDouble(s -> s.probability() * s.template().memoryMiB()).sum();
        double rate = config.load() * freeMemory / meanMemory / MEAN_LIFETIME;
        for (int t = 0; t < config.steps(); t++) {
            int n = poisson(requestRandom, rate);
            for (int k = 0; k < n; k++) {
                VmTemplate template = SimTemplates.pick(requestRandom.nextDouble());
                int lifetime = 1 + (int) (-MEAN_LIFETIME * Math.log(1 - requestRandom.nextDouble()));
                arrivals.add(new Arrival(t, template, lifetime));
            }
        }
        largest = PlacementRequest.of(SimTemplates.ALL.get(0), "simulator", SimTemplates.ALL).mostExpensive();
    }

    private static int poisson(SplittableRandom random, double mean) {
        // Knuth's method; the mean per step stays small (a few requests)
        double limit = Math.exp(-mean);
        double p = 1;
        int k = 0;
        do {
            k++;
            p *= random.nextDouble();
        } while (p > limit && k < 10_000);
        return k - 1;
    }

    /**
     * Runs the stream with one policy. With {@code upperBound} the policy sees the upper bound of the forecast's
     * prediction interval as the predicted use (conservative, the default); without, the point forecast.
     */
    Result run(String policyName, Placer placer, Forecaster forecaster, String forecasterName, boolean upperBound) {
        boolean forecasts = placer.usesForecasts();
        boolean holt = forecaster instanceof HoltForecaster;
        int requests = 0;
        int accepted = 0;
        int requestsLargest = 0;
        int acceptedLargest = 0;
        int local = 0;
        int remote = 0;
        int remoteRequests = 0;
        int rejected = 0;
        int moved = 0;
        int failed = 0;
        List<Integer> remoteEnds = new ArrayList<>();
        int next = 0;
        double[] history = new double[HISTORY];
        for (int t = 0; t < config.steps(); t++) {
            final int now = t;
            remoteEnds.removeIf(end -> end <= now);
            for (Gateway g : gateways) {
                g.vms.stream().filter(vm -> vm.end <= now).toList().forEach(g::remove);
            }
            if (forecasts && t % REFIT == 0) {
                for (Gateway g : gateways) {
                    for (int i = 0; i < HISTORY; i++) {
                        history[i] = g.background(t - HISTORY + 1 + i);
                    }
                    Forecast f;
                    if (holt && (t % REFIT_PARAMETERS == 0 || Double.isNaN(g.alpha))) {
                        f = forecaster.forecast(history, config.horizon());
                        g.alpha = f.alpha();
                        g.beta = f.beta();
                    } else if (holt) {
                        f = HoltForecaster.fixed(g.alpha, g.beta).forecast(history, config.horizon());
                    } else {
                        f = forecaster.forecast(history, config.horizon());
                    }
                    g.forecast = clamp(f.peakForecast(), g.vcpus);
                    g.forecastUpper = upperBound ? clamp(f.peakUpper(), g.vcpus) : g.forecast;
                }
            }
            // the forecast (or the load seen at placement) was wrong: the newest VMs make room
            for (Gateway g : gateways) {
                while (!g.vms.isEmpty() && g.background(t) + g.reservedVcpus > g.vcpus + 1e-9) {
                    Vm vm = g.vms.peekLast();
                    g.remove(vm);
                    PlacementDecision d = placer.decide(new PlacementRequest(vm.template, "simulator", largest),
                            candidates(t, forecasts, g), clouds(remoteEnds.size()));
                    if (d instanceof PlacementDecision.Local l) {
                        byId.get(l.gatewayId()).add(vm);
                        moved++;
                    } else if (d instanceof PlacementDecision.Remote) {
                        remoteEnds.add(vm.end);
                        remote++;
                        moved++;
                    } else {
                        failed++;
                    }
                }
            }
            while (next < arrivals.size() && arrivals.get(next).step == t) {
                Arrival a = arrivals.get(next++);
                boolean isLargest = a.template == largest;
                requests++;
                requestsLargest += isLargest ? 1 : 0;
                PlacementDecision d = placer.decide(new PlacementRequest(a.template, "simulator", largest),
                        candidates(t, forecasts, null), clouds(remoteEnds.size()));
                if (d instanceof PlacementDecision.Rejected) {
                    rejected++;
                    continue;
                }
                accepted++;
                acceptedLargest += isLargest ? 1 : 0;
                if (d instanceof PlacementDecision.Local l) {
                    byId.get(l.gatewayId()).add(new Vm(a.template, t + a.lifetime));
                    local++;
                } else {
                    remoteEnds.add(t + a.lifetime);
                    remote++;
                    remoteRequests++;
                }
            }
        }
        String seen = !forecasts ? "none (current load)" : forecasterName + (upperBound ? " upper" : " point");
        return new Result(policyName, seen, config, requests,
                accepted, requestsLargest, acceptedLargest, local, remote, remoteRequests, rejected, moved, failed);
    }

    private List<GatewayCandidate> candidates(int t, boolean forecasts, Gateway excluded) {
        List<GatewayCandidate> list = new ArrayList<>(gateways.size());
        for (Gateway g : gateways) {
            if (g != excluded) {
                list.add(g.candidate(t, forecasts));
            }
        }
        return list;
    }

    private List<RemoteCloud> clouds(int inUse) {
        return List.of(new RemoteCloud("cloud", true, true, config.remoteLimit(), inUse));
    }

    private static double clamp(double v, double cap) {
        return Double.isNaN(v) ? cap : Math.min(cap, Math.max(0, v));
    }
}
