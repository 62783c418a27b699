package org.betaas.taas.resources.placement;

import java.util.Collection;
import java.util.Comparator;

import org.betaas.api.placement.GatewayCandidate.Resources;
import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;

/**
 * A VM to place.
 *
 * @param template      the template to instantiate
 * @param requester     who asks, for the reasons
 * @param mostExpensive the most expensive template registered (room is kept for it); the template itself when
 *                      it is the only one known
 */
public record PlacementRequest(VmTemplate template, String requester, VmTemplate mostExpensive) {

    /** Most expensive first: memory, then vCPUs, then disk (memory is what a small gateway runs out of first). */
    public static final Comparator<VmTemplate> COST = Comparator.comparingLong(VmTemplate::memoryMiB)
            .thenComparingInt(VmTemplate::vcpus).thenComparingLong(VmTemplate::diskMiB);

    /** A request for {@code template}, keeping room for the most expensive of {@code registered}. */
    public static PlacementRequest of(VmTemplate template, String requester, Collection<VmTemplate> registered) {
        VmTemplate largest = template;
        for (VmTemplate t : registered) {
            if (COST.compare(t, largest) > 0) {
                largest = t;
            }
        }
        return new PlacementRequest(template, requester, largest);
    }

    /** What a VM of the template reserves. */
    public static Resources demand(VmTemplate t) {
        return new Resources(t.vcpus(), t.memoryMiB(), t.diskMiB());
    }

    /** Storage nodes and light VMs come before computation nodes and heavy VMs when the instance runs short. */
    public static boolean lowPriority(VmTemplate t) {
        if (t.kind() == VmKind.BIGDATA_STORAGE) {
            return false;
        }
        return t.kind() == VmKind.BIGDATA_COMPUTE || t.weight() == VmWeight.HEAVY;
    }
}
