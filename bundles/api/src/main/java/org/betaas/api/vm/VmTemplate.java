package org.betaas.api.vm;

import java.util.Set;

/**
 * What a VM is made from: its kind and the resources it needs.
 *
 * @param name          unique template name, e.g. {@code bigdata-storage} or {@code service-test-x86_64}
 * @param kind          one of the paper's four kinds
 * @param vcpus         virtual CPUs
 * @param memoryMiB     memory, MiB
 * @param diskMiB       disk, MiB
 * @param architectures CPU architectures the image runs on, e.g. {@code x86_64}, {@code aarch64}
 * @param image         the image (path or cloud image name) the VM boots from
 * @param weight        light or heavy
 */
public record VmTemplate(String name, VmKind kind, int vcpus, long memoryMiB, long diskMiB,
                         Set<String> architectures, String image, VmWeight weight) {

    public VmTemplate {
        architectures = Set.copyOf(architectures);
    }
}
