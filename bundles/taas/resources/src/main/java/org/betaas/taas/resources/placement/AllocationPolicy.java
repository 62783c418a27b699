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
 * kept when their predicted availability (capacity − reserved − forecast upper bound) holds the VM;</li>
 * <li>no gateway left: the remote cloud if configured, reachable and under its VM limit, else rejected;</li>
 * <li>a Big Data computation node goes remote when no powerful gateway can take it (local capacity stays
 * for storage nodes); if the cloud cannot be used, it stays local;</li>
 * <li>when the instance would run short, computation/heavy VMs go remote (if possible) so that storage/light
 * VMs find room locally;</li>
 * <li>local first: among the gateways, one that cannot host the most expensive template anyway (the others
 * stay free for it), else one that still could host it afterwards, then the most powerful.</li>
 * </ol>
 * Every gateway considered, the forecasts used and the deciding rule are written in the decision's reasons.
 * Thread-safe and allocation-light: one decision over 1,000 gateways takes well under a millisecond.
 */
public final class AllocationPolicy {

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
                + "); availability = capacity - reserved - forecast upper bound");

        List<GatewayCandidate> eligible = new ArrayList<>();
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
            Resources free = g.available();
            capacityCpu += g.capacity().vcpus();
            capacityMemory += g.capacity().memoryMiB();
            freeCpu += free.vcpus();
            freeMemory += free.memoryMiB();
            if (free.holds(need)) {
                eligible.add(g);
                reasons.add(g.gatewayId() + ": kept, predicted free " + format(free) + describe(g));
            } else {
                reasons.add(g.gatewayId() + ": dropped [" + Rule.NO_ROOM.label() + "] predicted free " + format(free)
                        + describe(g));
            }
        }

        if (eligible.isEmpty()) {
            return remoteOrReject(Rule.REMOTE_WHEN_FULL, "no gateway of the instance can host " + template.name(),
                    clouds, reasons);
        }

        if (template.kind() == VmKind.BIGDATA_COMPUTE) {
            List<GatewayCandidate> powerful = new ArrayList<>();
            for (GatewayCandidate g : eligible) {
                if (g.power() >= settings.powerfulPower()) {
                    powerful.add(g);
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
                                            Resources largestNeed, boolean isLargest,
                                            List<GatewayCandidate> eligible, List<String> reasons) {
        if (eligible.size() == 1) {
            GatewayCandidate only = eligible.get(0);
            return local(only, Rule.LOCAL_FIRST, only.gatewayId() + " is the only gateway of the instance that can host "
                    + template.name() + ": local before remote", reasons);
        }
        if (!isLargest) {
            // Gateway B of the paper: cannot host the most expensive template anyway, but can host this one.
            GatewayCandidate cannotHostLargest = null;
            GatewayCandidate staysAbleAfter = null;
            int ableNow = 0;
            for (GatewayCandidate g : eligible) {
                Resources free = g.available();
                if (!free.holds(largestNeed)) {
                    cannotHostLargest = better(cannotHostLargest, g);
                } else {
                    ableNow++;
                    if (free.minus(need).holds(largestNeed)) {
                        staysAbleAfter = better(staysAbleAfter, g);
                    }
                }
            }
            if (cannotHostLargest != null && ableNow > 0) {
                return local(cannotHostLargest, Rule.KEEP_ROOM_FOR_LARGEST, cannotHostLargest.gatewayId()
                        + " cannot host " + largest.name() + " anyway but can host " + template.name()
                        + ": using it keeps the " + ableNow + " gateway(s) that can host " + largest.name()
                        + " free for it", reasons);
            }
            if (staysAbleAfter != null && cannotHostLargest == null && staysAbleAfter != mostPowerful(eligible)) {
                return local(staysAbleAfter, Rule.KEEP_ROOM_FOR_LARGEST, staysAbleAfter.gatewayId()
                        + " can still host " + largest.name() + " after " + template.name()
                        + ", where the most powerful gateway could not", reasons);
            }
        }
        GatewayCandidate best = mostPowerful(eligible);
        return local(best, Rule.MOST_POWERFUL, "nothing else separates the " + eligible.size()
                + " gateways that can host " + template.name() + ": " + best.gatewayId() + " is the most powerful (power "
                + fixed2(best.power()) + ")", reasons);
    }

    private static GatewayCandidate mostPowerful(List<GatewayCandidate> gateways) {
        GatewayCandidate best = null;
        for (GatewayCandidate g : gateways) {
            best = better(best, g);
        }
        return best;
    }

    /** More power first; then more predicted free memory, fewer VMs (spread), and the id for a stable order. */
    private static GatewayCandidate better(GatewayCandidate current, GatewayCandidate g) {
        if (current == null) {
            return g;
        }
        int c = Double.compare(g.power(), current.power());
        if (c == 0) {
            c = Double.compare(g.available().memoryMiB(), current.available().memoryMiB());
        }
        if (c == 0) {
            c = Integer.compare(current.vmsRunning(), g.vmsRunning());
        }
        if (c == 0) {
            c = current.gatewayId().compareTo(g.gatewayId());
        }
        return c > 0 ? g : current;
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
