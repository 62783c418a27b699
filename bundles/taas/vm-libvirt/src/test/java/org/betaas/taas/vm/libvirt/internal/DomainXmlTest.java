package org.betaas.taas.vm.libvirt.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

public class DomainXmlTest {

    private static final String TEMPLATE = "<domain type='qemu'><name>${name}</name><uuid>${uuid}</uuid>"
            + "<memory unit='MiB'>${memoryMiB}</memory><vcpu>${vcpus}</vcpu>"
            + "<os><kernel>${image}/vmlinuz</kernel><cmdline>console=ttyS0 betaas.kind=${kind}</cmdline></os>"
            + "<devices><serial type='pty'><log file='${consoleLog}'/></serial></devices></domain>";
    private static final DomainXml.Metadata META = new DomainXml.Metadata("vm1", "service-test-x86_64", "service",
            Instant.parse("2026-01-02T03:04:05Z"), 0);

    private static Map<String, String> values() {
        Map<String, String> v = new HashMap<>();
        v.put("name", "betaas-vm1");
        v.put("uuid", "0f8fad5b-d9cb-469f-a165-70867728950e");
        v.put("memoryMiB", "128");
        v.put("vcpus", "1");
        v.put("kind", "service");
        v.put("image", "/opt/vm/build/x86_64");
        v.put("consoleLog", "/var/log/betaas-vm1.log");
        return v;
    }

    @Test
    public void diskFilesAreTheFileBackedDisksNotCdroms() {
        String xml = "<domain><devices><disk type='file' device='disk'><source file='/d/betaas-a.qcow2'/>"
                + "<target dev='vda'/></disk><disk type='file' device='cdrom'><source file='/i/seed.iso'/></disk>"
                + "<disk type='block'><source dev='/dev/sdb'/></disk><disk type='file'><source file='/d/b.img'/>"
                + "</disk></devices></domain>";
        assertEquals(java.util.List.of("/d/betaas-a.qcow2", "/d/b.img"), DomainXml.diskFiles(xml));
    }

    @Test
    public void placeholdersAreFilledAndQemuGetsATranslationCacheCap() {
        String xml = DomainXml.render(TEMPLATE, values(), "qemu", 32, META);
        Document doc = DomainXml.parse(xml);
        assertEquals("qemu", doc.getDocumentElement().getAttribute("type"));
        assertEquals("betaas-vm1", text(doc, "name"));
        assertEquals("/opt/vm/build/x86_64/vmlinuz", text(doc, "kernel"));
        assertEquals("console=ttyS0 betaas.kind=service", text(doc, "cmdline"));
        assertEquals("/var/log/betaas-vm1.log", ((Element) doc.getElementsByTagName("log").item(0)).getAttribute("file"));
        Element cache = (Element) doc.getElementsByTagName("tb-cache").item(0);
        assertEquals("32", cache.getTextContent());
        assertEquals("MiB", cache.getAttribute("unit"));
        assertEquals(META, DomainXml.metadata(xml).orElseThrow());
    }

    @Test
    public void aPayloadIsHandedOverAsAnFwCfgEntry() {
        Map<String, String> v = values();
        v.put("arch", "x86_64");
        String xml = DomainXml.render(TEMPLATE, v, "qemu", 32, META, "/d/betaas-vm1.payload");
        Document doc = DomainXml.parse(xml);
        // the x86 guest discovers fw_cfg through ACPI
        assertEquals("features", doc.getElementsByTagName("acpi").item(0).getParentNode().getNodeName());
        Element sysinfo = (Element) doc.getElementsByTagName("sysinfo").item(0);
        assertEquals(doc.getDocumentElement(), sysinfo.getParentNode());
        assertEquals("fwcfg", sysinfo.getAttribute("type"));
        Element entry = (Element) sysinfo.getElementsByTagName("entry").item(0);
        assertEquals("opt/org.betaas/app.war", entry.getAttribute("name"));
        assertEquals("/d/betaas-vm1.payload", entry.getAttribute("file"));
        assertEquals(META, DomainXml.metadata(xml).orElseThrow());
        assertFalse(DomainXml.render(TEMPLATE, values(), "qemu", 32, META).contains("sysinfo"));
    }

    @Test
    public void aRelativeOrEscapingPayloadPathIsRefused() {
        for (String bad : new String[] {"app.war", "/d/../etc/shadow", "/d/a\nb"}) {
            try {
                DomainXml.render(TEMPLATE, values(), "qemu", 32, META, bad.replace("\\n", "\n"));
                fail("accepted " + bad);
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("payload"));
            }
        }
    }

    @Test
    public void kvmGetsNoTcgFeatures() {
        String xml = DomainXml.render(TEMPLATE, values(), "kvm", 32, META);
        assertEquals("kvm", DomainXml.parse(xml).getDocumentElement().getAttribute("type"));
        assertFalse(xml, xml.contains("tb-cache"));
    }

    @Test
    public void markupInAPathStaysText() {
        Map<String, String> v = values();
        String evil = "/tmp/x</kernel><evil/><kernel a=\"'&amp;";
        v.put("image", evil);
        v.put("consoleLog", "/tmp/log' evil='1");
        String xml = DomainXml.render(TEMPLATE, v, "qemu", 0, META);
        Document doc = DomainXml.parse(xml);
        assertEquals(0, doc.getElementsByTagName("evil").getLength());
        assertEquals(1, doc.getElementsByTagName("kernel").getLength());
        assertEquals(evil + "/vmlinuz", text(doc, "kernel"));
        Element log = (Element) doc.getElementsByTagName("log").item(0);
        assertEquals("/tmp/log' evil='1", log.getAttribute("file"));
        assertFalse(log.hasAttribute("evil"));
    }

    @Test
    public void invalidValuesAreRejected() {
        String[][] bad = {
            {"name", "vm</name><evil/>"}, {"name", "UPPER"}, {"name", ""}, {"kind", "service betaas.x=1"},
            {"uuid", "not-a-uuid"}, {"vcpus", "1 "}, {"memoryMiB", "-5"}, {"image", "relative/path"},
            {"image", "/tmp/a\nconsole=evil"}, {"consoleLog", "/var/log/../../etc/passwd"},
        };
        for (String[] b : bad) {
            Map<String, String> v = values();
            v.put(b[0], b[1]);
            try {
                DomainXml.render(TEMPLATE, v, "qemu", 0, META);
                fail(b[0] + "=" + b[1] + " was accepted");
            } catch (IllegalArgumentException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("${" + b[0] + "}"));
            }
        }
    }

    @Test(expected = IllegalArgumentException.class)
    public void aPlaceholderWithoutValueIsAnError() {
        Map<String, String> v = values();
        v.remove("uuid");
        DomainXml.render(TEMPLATE, v, "qemu", 0, META);
    }

    @Test(expected = IllegalArgumentException.class)
    public void doctypesAreRefused() {
        DomainXml.render("<!DOCTYPE domain [<!ENTITY e SYSTEM 'file:///etc/passwd'>]><domain><name>&e;</name></domain>",
                values(), "qemu", 0, META);
    }

    @Test
    public void aDomainWithoutBetaasMetadataHasNone() {
        assertTrue(DomainXml.metadata("<domain type='test'><name>test</name></domain>").isEmpty());
    }

    private static String text(Document doc, String tag) {
        return doc.getElementsByTagName(tag).item(0).getTextContent();
    }

    @Test
    public void theGatewayThatMadeADomainIsRecordedSoThatGatewaysSharingALibvirtdListOnlyTheirOwn() {
        DomainXml.Metadata mine = new DomainXml.Metadata("vm1", "service-test-x86_64", "service",
                Instant.parse("2026-01-02T03:04:05Z"), 0, "gw-2");
        DomainXml.Metadata read = DomainXml.metadata(DomainXml.render(TEMPLATE, values(), "qemu", 32, mine))
                .orElseThrow();
        assertEquals(mine, read);
        assertEquals(false, read.ownedByAnother("gw-2"));
        assertEquals(true, read.ownedByAnother("gw-3"));
        assertEquals("no identity installed: every domain is listed", false, read.ownedByAnother(""));
        // domains made before the gateway was recorded belong to every gateway, as they did
        DomainXml.Metadata old = DomainXml.metadata(DomainXml.render(TEMPLATE, values(), "qemu", 32, META))
                .orElseThrow();
        assertEquals("", old.gateway());
        assertEquals(false, old.ownedByAnother("gw-3"));
    }
}
