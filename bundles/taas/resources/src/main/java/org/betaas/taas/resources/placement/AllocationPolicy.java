package org.betaas.taas.resources.placement;

import java.util.ArrayList;
import java.util.List;

import org.betaas.api.placement.GatewayCandidate;
import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.placement.PlacementDecision;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmTemplate;

/**
 * The BETaaS allocation algorithm (seed paper, sections II-B, III and IV), as a pure function of the request,
 * the candidate gateways with their forecasts, and the remote clouds. In the order applied:
 * <ol>
 * <li>gateways with low trust, without virtualization or of another architecture are dropped; the others are
 * kept when the VM fits in their predicted availability: under the forecast's upper bound (capacity − reserved −
 * upper bound; safe), or else at least under the point forecast (capacity − reserved − point forecast);</li>
 * <li>no gateway left: the remote cloud if configured, reachable and under its VM limit, else rejected;</li>
 * <li>a Big Data computation node goes remote when no powerful gateway can take it (local capacity stays
 * for storage nodes); if the cloud cannot be used, it stays local;</li>
 * <li>when the instance would run short, computation/heavy VMs go remote (if possible) so that storage/light
 * VMs find room locally;</li>
 * <li>local first, among the gateways kept, ranked by: the VM fits under the upper bound before it fits only
 * under the point forecast ({@link Rule#UPPER_BOUND_FIRST}); room kept for the most expensive template: a
 * gateway that cannot host it anyway, then one that still can afterwards, then the tightest fit, which leaves
 * whole gateways free for it ({@link Rule#KEEP_ROOM_FOR_LARGEST}); then the most powerful
 * ({@link Rule#MOST_POWERFUL}). The rule that decided is the first one on which the chosen gateway beats the
 * runner-up.</li>
 * </ol>
 * Every gateway considered, the forecasts used and the deciding rule are written in the decision's reasons.
 * Thread-safe and allocation-light: one decision over 1,000 gateways takes well under a millisecond.
 */
public final class AllocationPolicy {

    /** Ranking keys of one gateway kept; smaller ranks first. */
    private static final class Kept {
        final GatewayCandidate gateway;
        final Resources free;
        /** 0: the VM fits under the upper bound; 1: only under the point forecast. */
        final int tier;
        /** 0: cannot host the most expensive template anyway; 1: still can after this VM; 2: would lose it. */
        int room;
        /** Memory (MiB) left after the VM, then vCPUs: smaller is tighter. */
        final double leftMemory;
        final double leftCpu;

        Kept(GatewayCandidate gateway, Resources free, int tier, Resources need) {
            this.gateway = gateway;
            this.free = free;
            this.tier = tier;
            this.leftMemory = free.memoryMiB() - need.memoryMiB();
            this.leftCpu = free.vcpus() - need.vcpus();
        }
    }

    private final PolicySettings settings;

    public AllocationPolicy(PolicySettings settings) {
        this.settings = settings;
    }

    public PolicySettings settings() {
        return settings;
    }

    public PlacementDecision decide(PlacementRequest request, List<GatewayCandidate> gateways,
                                    List<RemoteCloud> clouds) {
        VmTemplate template = request.template();
        VmTemplate largest = request.mostExpensive();
        Resources need = PlacementRequest.demand(template);
        Resources largestNeed = PlacementRequest.demand(largest);
        boolean isLargest = PlacementRequest.COST.compare(template, largest) >= 0;
        List<String> reasons = new ArrayList<>(gateways.size() + 8);
        reasons.add("Request: " + template.name() + " (" + kindName(template) + ", needs " + format(need)
                + ") from " + request.requester());
        reasons.add("Most expensive registered template: " + largest.name() + " (" + format(largestNeed)
                + "); predicted free = capacity - reserved - forecast upper bound (safe), else - point forecast");

        List<Kept> eligible = new ArrayList<>();
        double capacityCpu = 0;
        double capacityMemory = 0;
        double freeCpu = 0;
        double freeMemory = 0;
        for (GatewayCandidate g : gateways) {
            if (g.trust() < settings.trustThreshold()) {
                reasons.add(g.gatewayId() + ": dropped [" + Rule.LOW_TRUST.label() + "] trust " + fixed2(g.trust())
                        + " below " + fixed2(settings.trustThreshold()));
                continue;
            }
            if (!g.virtualization()) {
                reasons.add(g.gatewayId() + ": dropped [" + Rule.NOT_CAPABLE.label() + "] cannot run VMs");
                continue;
            }
            if (!template.architectures().isEmpty() && !template.architectures().contains(g.architecture())) {
                reasons.add(g.gatewayId() + ": dropped [" + Rule.NOT_CAPABLE.label() + "] architecture "
                        + g.architecture() + " not in " + template.architectures());
                continue;
            }
            Resources safe = g.available();
            Resources point = pointAvailable(g);
            capacityCpu += g.capacity().vcpus();
            capacityMemory += g.capacity().memoryMiB();
            freeCpu += point.vcpus();
            freeMemory += point.memoryMiB();
            if (safe.holds(need)) {
                eligible.add(new Kept(g, safe, 0, need));
                reasons.add(g.gatewayId() + ": kept, predicted free " + format(safe) + describe(g));
            } else if (point.holds(need)) {
                eligible.add(new Kept(g, point, 1, need));
                reasons.add(g.gatewayId() + ": kept, fits only under the point forecast: predicted free "
                        + format(point) + " (" + format(safe) + " under the upper bound)" + describe(g));
            } else {
                reasons.add(g.gatewayId() + ": dropped [" + Rule.NO_ROOM.label() + "] predicted free "
                        + format(point) + " under the point forecast" + describe(g));
            }
        }

        if (eligible.isEmpty()) {
            return remoteOrReject(Rule.REMOTE_WHEN_FULL, "no gateway of the instance can host " + template.name(),
                    clouds, reasons);
        }

        if (template.kind() == VmKind.BIGDATA_COMPUTE) {
            List<Kept> powerful = new ArrayList<>();
            for (Kept k : eligible) {
                if (k.gateway.power() >= settings.powerfulPower()) {
                    powerful.add(k);
                }
            }
            if (powerful.isEmpty()) {
                String why = "no powerful gateway (power >= " + fixed2(settings.powerfulPower())
                        + ") can take a Big Data computation node; local capacity stays for storage nodes";
                RemoteCloud cloud = usableCloud(clouds, reasons);
                if (cloud != null) {
                    return remote(cloud, Rule.BIGDATA_COMPUTE_REMOTE, why, reasons);
                }
                reasons.add("Rule " + Rule.BIGDATA_COMPUTE_REMOTE.label() + ": " + why
                        + ", but the remote cloud cannot be used: staying local");
            } else {
                reasons.add("Big Data computation node: only the " + powerful.size() + " powerful gateway(s) (power >= "
                        + fixed2(settings.powerfulPower()) + ") considered");
                eligible = powerful;
            }
        }

        if (PlacementRequest.lowPriority(template) && capacityCpu > 0 && capacityMemory > 0) {
            double left = Math.min((freeCpu - need.vcpus()) / capacityCpu,
                    (freeMemory - need.memoryMiB()) / capacityMemory);
            if (left < settings.shortageLevel()) {
                String why = "the instance runs short (after this VM " + percent(Math.max(0, left))
                        + " of CPU or memory predicted free, under " + percent(settings.shortageLevel())
                        + "): computation/heavy VMs give way to storage/light ones";
                RemoteCloud cloud = usableCloud(clouds, reasons);
                if (cloud != null) {
                    return remote(cloud, Rule.PRIORITY_UNDER_SHORTAGE, why, reasons);
                }
                reasons.add("Rule " + Rule.PRIORITY_UNDER_SHORTAGE.label() + ": " + why
                        + ", but the remote cloud cannot be used: staying local");
            }
        }

        return chooseGateway(template, largest, need, largestNeed, isLargest, eligible, reasons);
    }

    private PlacementDecision chooseGateway(VmTemplate template, VmTemplate largest, Resources need,
                                            Resources largestNeed, boolean isLargest, List<Kept> eligible,
                                            List<String> reasons) {
        if (eligible.size() == 1) {
            Kept only = eligible.get(0);
            return local(only.gateway, Rule.LOCAL_FIRST, only.gateway.gatewayId()
                    + " is the only gateway of the instance that can host " + template.name() + ": local before remote"
                    + (only.tier == 1 ? " (it fits under the point forecast, not under the upper bound)" : ""), reasons);
        }
        int ableNow = 0;
        for (Kept k : eligible) {
            if (isLargest || !k.free.holds(largestNeed)) {
                k.room = 0;
            } else {
                ableNow++;
                k.room = k.free.minus(need).holds(largestNeed) ? 1 : 2;
            }
        }
        Kept best = null;
        Kept second = null;
        for (Kept k : eligible) {
            if (best == null || compare(k, best) < 0) {
                second = best;
                best = k;
            } else if (second == null || compare(k, second) < 0) {
                second = k;
            }
        }
        String id = best.gateway.gatewayId();
        String other = second.gateway.gatewayId();
        if (best.tier != second.tier) {
            return local(best.gateway, Rule.UPPER_BOUND_FIRST, template.name() + " fits on " + id
                    + " even under the forecast upper bound; on " + other
                    + " (next best) only under the point forecast", reasons);
        }
        if (best.room != second.room) {
            String why = best.room == 0
                    ? id + " cannot host " + largest.name() + " anyway but can host " + template.name()
                    + ": using it keeps the " + ableNow + " gateway(s) that can host " + largest.name() + " free for it"
                    : id + " can still host " + largest.name() + " after " + template.name() + ", where " + other
                    + " (next best) could not";
            return local(best.gateway, Rule.KEEP_ROOM_FOR_LARGEST, why, reasons);
        }
        if (best.leftMemory != second.leftMemory || best.leftCpu != second.leftCpu) {
            return local(best.gateway, Rule.KEEP_ROOM_FOR_LARGEST, id + " is the tightest fit (" + format(
                    new Resources(best.leftCpu, best.leftMemory, best.free.storageMiB() - need.storageMiB()))
                    + " left after " + template.name() + ", " + other + " would keep "
                    + Math.round(second.leftMemory) + " MiB): packing keeps whole gateways free for "
                    + largest.name(), reasons);
        }
        return local(best.gateway, Rule.MOST_POWERFUL, "nothing else separates the " + eligible.size()
                + " gateways that can host " + template.name() + ": " + id + " is the most powerful (power "
                + fixed2(best.gateway.power()) + ")", reasons);
    }

    /**
     * Ranking: fits under the upper bound first; room for the most expensive template (cannot host it anyway,
     * still can after, would lose it); tightest memory then vCPU fit; more power; fewer VMs; the id.
     */
    private static int compare(Kept a, Kept b) {
        int c = Integer.compare(a.tier, b.tier);
        if (c == 0) {
            c = Integer.compare(a.room, b.room);
        }
        if (c == 0) {
            c = Double.compare(a.leftMemory, b.leftMemory);
        }
        if (c == 0) {
            c = Double.compare(a.leftCpu, b.leftCpu);
        }
        if (c == 0) {
            c = Double.compare(b.gateway.power(), a.gateway.power());
        }
        if (c == 0) {
            c = Integer.compare(a.gateway.vmsRunning(), b.gateway.vmsRunning());
        }
        if (c == 0) {
            c = a.gateway.gatewayId().compareTo(b.gateway.gatewayId());
        }
        return c;
    }

    /** Capacity − reserved − point forecast (never below zero). */
    static Resources pointAvailable(GatewayCandidate g) {
        Resources c = g.capacity();
        Resources r = g.reserved();
        Resources f = g.forecast();
        return new Resources(Math.max(0, c.vcpus() - r.vcpus() - f.vcpus()),
                Math.max(0, c.memoryMiB() - r.memoryMiB() - f.memoryMiB()),
                Math.max(0, c.storageMiB() - r.storageMiB() - f.storageMiB()));
    }

    private static PlacementDecision local(GatewayCandidate g, Rule rule, String why, List<String> reasons) {
        reasons.add(Rule.DECIDED_BY + rule.label() + ": " + why);
        return new PlacementDecision.Local(g.gatewayId(), reasons);
    }

    private static PlacementDecision remote(RemoteCloud cloud, Rule rule, String why, List<String> reasons) {
        reasons.add(Rule.DECIDED_BY + rule.label() + ": " + why + "; remote cloud " + cloud.name() + " ("
                + cloud.vmsInUse() + " of " + cloud.vmLimit() + " VMs in use)");
        return new PlacementDecision.Remote(cloud.name(), reasons);
    }

    private static PlacementDecision remoteOrReject(Rule rule, String why, List<RemoteCloud> clouds,
                                                    List<String> reasons) {
        RemoteCloud cloud = usableCloud(clouds, reasons);
        if (cloud != null) {
            return remote(cloud, rule, why, reasons);
        }
        String reason = why + " and " + cloudProblem(clouds)
                + ": free resources on a gateway, add a gateway, or configure a reachable remote cloud with room";
        reasons.add(Rule.DECIDED_BY + Rule.REMOTE_UNAVAILABLE.label() + ": " + reason);
        return new PlacementDecision.Rejected(reason, reasons);
    }

    /** The first configured, reachable cloud under its VM limit; why the others were skipped goes to reasons. */
    private static RemoteCloud usableCloud(List<RemoteCloud> clouds, List<String> reasons) {
        for (RemoteCloud c : clouds) {
            if (!c.configured()) {
                continue;
            }
            if (!c.reachable()) {
                reasons.add("Remote cloud " + c.name() + ": unreachable");
            } else if (c.vmsInUse() >= c.vmLimit()) {
                reasons.add("Remote cloud " + c.name() + ": at its limit of " + c.vmLimit() + " VMs");
            } else {
                return c;
            }
        }
        return null;
    }

    private static String cloudProblem(List<RemoteCloud> clouds) {
        List<String> problems = new ArrayList<>();
        for (RemoteCloud c : clouds) {
            if (!c.configured()) {
                continue;
            }
            problems.add(!c.reachable() ? "remote cloud " + c.name() + " is unreachable"
                    : "remote cloud " + c.name() + " is at its limit of " + c.vmLimit() + " VMs");
        }
        return problems.isEmpty() ? "no remote cloud is configured" : String.join(", ", problems);
    }

    private static String kindName(VmTemplate t) {
        return t.kind().name().toLowerCase().replace('_', '-') + ", " + t.weight().name().toLowerCase();
    }

    private static String describe(GatewayCandidate g) {
        Resources f = g.forecast();
        Resources u = g.forecastUpper();
        return "; capacity " + format(g.capacity()) + ", reserved by " + g.vmsRunning() + " VM(s) "
                + format(g.reserved()) + ", forecast use " + fixed1(f.vcpus()) + " vCPU (upper " + fixed1(u.vcpus())
                + "), " + Math.round(f.memoryMiB()) + " MiB (upper " + Math.round(u.memoryMiB()) + "); trust "
                + fixed2(g.trust()) + ", power " + fixed2(g.power());
    }

    static String format(Resources r) {
        return fixed1(r.vcpus()) + " vCPU, " + Math.round(r.memoryMiB()) + " MiB, " + Math.round(r.storageMiB())
                + " MiB disk";
    }

    private static String percent(double fraction) {
        return Math.round(fraction * 100) + " %";
    }

    // Hand-rolled: String.format costs a microsecond per call, which 1,000 gateways cannot afford.
    static String fixed1(double v) {
        long tenths = Math.round(v * 10);
        String sign = tenths < 0 ? "-" : "";
        tenths = Math.abs(tenths);
        return sign + (tenths / 10) + "." + (tenths % 10);
    }

    static String fixed2(double v) {
        long hundredths = Math.round(v * 100);
        String sign = hundredths < 0 ? "-" : "";
        hundredths = Math.abs(hundredths);
        long frac = hundredths % 100;
        return sign + (hundredths / 100) + "." + (frac < 10 ? "0" : "") + frac;
    }
}
