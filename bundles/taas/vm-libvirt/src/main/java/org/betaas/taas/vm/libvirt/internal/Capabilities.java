package org.betaas.taas.vm.libvirt.internal;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What a hypervisor can run, from libvirt's capabilities XML: the host's architecture and, per guest
 * architecture, the domain types offered (kvm, qemu, test...).
 */
record Capabilities(String hostArch, Map<String, Set<String>> domainTypes) {

    static Capabilities parse(String xml) {
        Document doc = DomainXml.parse(xml);
        String hostArch = "";
        NodeList hosts = doc.getElementsByTagName("host");
        if (hosts.getLength() > 0) {
            NodeList arch = ((Element) hosts.item(0)).getElementsByTagName("arch");
            if (arch.getLength() > 0) {
                hostArch = arch.item(0).getTextContent().trim();
            }
        }
        Map<String, Set<String>> types = new LinkedHashMap<>();
        NodeList guests = doc.getElementsByTagName("guest");
        for (int i = 0; i < guests.getLength(); i++) {
            NodeList arches = ((Element) guests.item(i)).getElementsByTagName("arch");
            for (int j = 0; j < arches.getLength(); j++) {
                Element arch = (Element) arches.item(j);
                Set<String> set = types.computeIfAbsent(arch.getAttribute("name"), k -> new LinkedHashSet<>());
                NodeList domains = arch.getElementsByTagName("domain");
                for (int k = 0; k < domains.getLength(); k++) {
                    set.add(((Element) domains.item(k)).getAttribute("type"));
                }
            }
        }
        return new Capabilities(hostArch, types);
    }

    /** The architecture to run a template on: the host's own if the template has it, else one the host emulates. */
    String chooseArch(List<String> candidates) {
        if (candidates.contains(hostArch) && domainTypes.containsKey(hostArch)) {
            return hostArch;
        }
        return candidates.stream().filter(domainTypes::containsKey).findFirst().orElse(null);
    }

    /**
     * The domain type for a guest architecture. {@code auto}: kvm when offered for the host's own architecture,
     * else qemu, else the first type offered (test:///default offers only "test").
     */
    String domainType(String arch, String configured) {
        Set<String> offered = domainTypes.getOrDefault(arch, Set.of());
        if (!"auto".equals(configured) && offered.contains(configured)) {
            return configured;
        }
        if ("auto".equals(configured) && arch.equals(hostArch) && offered.contains("kvm")) {
            return "kvm";
        }
        if (offered.contains("qemu")) {
            return "qemu";
        }
        return offered.isEmpty() ? null : offered.iterator().next();
    }
}
