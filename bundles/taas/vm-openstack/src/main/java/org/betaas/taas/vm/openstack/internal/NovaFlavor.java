package org.betaas.taas.vm.openstack.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;
import org.betaas.api.vm.VmTemplate;

/** A Nova flavor (GET /flavors/detail); {@code diskGiB} 0 means "the size of the image". */
record NovaFlavor(String id, String name, int vcpus, long ramMiB, long diskGiB, boolean disabled) {

    static NovaFlavor of(JsonNode f) {
        return new NovaFlavor(f.path("id").asText(), f.path("name").asText(), f.path("vcpus").asInt(),
                f.path("ram").asLong(), f.path("disk").asLong(), f.path("OS-FLV-DISABLED:disabled").asBoolean(false));
    }

    boolean fits(VmTemplate t) {
        return !disabled && vcpus >= t.vcpus() && ramMiB >= t.memoryMiB() && diskGiB * 1024 >= t.diskMiB();
    }

    /**
     * The flavor mapped to the template in the configuration, else the smallest that fits (least memory, then
     * fewest vCPUs, then least disk).
     */
    static Optional<NovaFlavor> choose(VmTemplate t, List<NovaFlavor> flavors, Map<String, String> mapping) {
        String mapped = mapping.get(t.name());
        if (mapped != null) {
            return flavors.stream().filter(f -> f.name().equals(mapped) || f.id().equals(mapped)).findFirst();
        }
        return flavors.stream().filter(f -> f.fits(t)).min(Comparator.comparingLong(NovaFlavor::ramMiB)
                .thenComparingInt(NovaFlavor::vcpus).thenComparingLong(NovaFlavor::diskGiB));
    }
}
