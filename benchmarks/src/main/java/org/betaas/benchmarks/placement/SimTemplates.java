package org.betaas.benchmarks.placement;

import java.util.List;
import java.util.Set;

import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;

/** The templates requested in the simulation: the paper's four kinds, light and heavy, with their share. */
final class SimTemplates {

    record Share(VmTemplate template, double probability) {
    }

    static final List<Share> MIX = List.of(
            new Share(t("service-light", VmKind.SERVICE, VmWeight.LIGHT, 1, 256, 1024), 0.25),
            new Share(t("service-heavy", VmKind.SERVICE, VmWeight.HEAVY, 2, 1024, 4096), 0.15),
            new Share(t("gateway-light", VmKind.GATEWAY, VmWeight.LIGHT, 1, 512, 2048), 0.15),
            new Share(t("gateway-heavy", VmKind.GATEWAY, VmWeight.HEAVY, 2, 1536, 4096), 0.10),
            new Share(t("bigdata-storage", VmKind.BIGDATA_STORAGE, VmWeight.LIGHT, 1, 1024, 16384), 0.15),
            new Share(t("bigdata-compute", VmKind.BIGDATA_COMPUTE, VmWeight.HEAVY, 4, 4096, 4096), 0.20));

    static final List<VmTemplate> ALL = MIX.stream().map(Share::template).toList();

    private SimTemplates() {
    }

    private static VmTemplate t(String name, VmKind kind, VmWeight weight, int vcpus, long memory, long disk) {
        return new VmTemplate(name, kind, vcpus, memory, disk, Set.of("x86_64"), name, weight);
    }

    /** The template for a uniform draw {@code u} in [0, 1). */
    static VmTemplate pick(double u) {
        double acc = 0;
        for (Share s : MIX) {
            acc += s.probability();
            if (u < acc) {
                return s.template();
            }
        }
        return MIX.get(MIX.size() - 1).template();
    }
}
