package org.betaas.taas.vm.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.Set;

import org.betaas.api.vm.VmKind;
import org.betaas.api.vm.VmTemplate;
import org.betaas.api.vm.VmWeight;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TemplateLoaderTest {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private static final String DOMAIN = "<domain type='qemu'><name>${name}</name><memory unit='MiB'>${memoryMiB}"
            + "</memory></domain>";

    private Path folder() throws IOException {
        Path f = tmp.getRoot().toPath();
        Files.createDirectories(f.resolve("domains"));
        Files.writeString(f.resolve("domains/d.xml"), DOMAIN);
        return f;
    }

    private static String descriptor(String name) {
        return "name = " + name + "\nkind = bigdata-storage\nvcpus = 2\nmemoryMiB = 256\ndiskMiB = 1024\n"
                + "architectures = x86_64, aarch64\nimage = images/x-${arch}.qcow2\nweight = heavy\n"
                + "domain.x86_64 = domains/d.xml\n";
    }

    @Test
    public void theShippedTemplatesAllLoad() {
        TemplateLoader.Result r = TemplateLoader.load(Paths.get("../../../vm-templates"));
        assertEquals(List.of(), r.problems());
        for (String kind : List.of("service", "gateway", "bigdata-storage", "bigdata-compute")) {
            VmTemplate t = r.templates().get(kind).template();
            assertEquals(Set.of("x86_64", "aarch64"), t.architectures());
            assertEquals(2, r.templates().get(kind).domainXml().size());
            for (String arch : List.of("x86_64", "aarch64")) {
                String test = kind + "-test-" + arch;
                assertEquals(t.kind(), r.templates().get(test).template().kind());
                assertEquals(Set.of(arch), r.templates().get(test).template().architectures());
                assertTrue(r.templates().get(test).domainXml().get(arch).contains("${consoleLog}"));
            }
        }
        assertEquals(12, r.templates().size());
    }

    @Test
    public void aGoodDescriptorBecomesATemplate() throws Exception {
        Path f = folder();
        Files.writeString(f.resolve("store.properties"), descriptor("store"));
        TemplateLoader.Result r = TemplateLoader.load(f);
        assertEquals(List.of(), r.problems());
        VmTemplate t = r.templates().get("store").template();
        assertEquals(new VmTemplate("store", VmKind.BIGDATA_STORAGE, 2, 256, 1024, Set.of("x86_64", "aarch64"),
                "images/x-${arch}.qcow2", VmWeight.HEAVY), t);
        assertEquals(DOMAIN, r.templates().get("store").domainXml().get("x86_64"));
    }

    private List<String> problemsOf(String descriptor) throws IOException {
        Path f = folder();
        Files.writeString(f.resolve("good.properties"), descriptor("good"));
        Files.writeString(f.resolve("zz-bad.properties"), descriptor);
        TemplateLoader.Result r = TemplateLoader.load(f);
        assertTrue("the good file still loads", r.templates().containsKey("good"));
        assertEquals(r.problems().toString(), 1, r.problems().size());
        assertTrue(r.problems().get(0), r.problems().get(0).startsWith("zz-bad.properties: "));
        return r.problems();
    }

    @Test
    public void eachBadFileIsReportedAndTheOthersStillLoad() throws Exception {
        assertTrue(problemsOf(descriptor("bad").replace("bigdata-storage", "database")).get(0).contains("kind"));
        assertTrue(problemsOf(descriptor("bad").replace("vcpus = 2", "vcpus = two")).get(0).contains("vcpus"));
        assertTrue(problemsOf(descriptor("bad").replace("vcpus = 2", "vcpus = 0")).get(0).contains("range"));
        assertTrue(problemsOf(descriptor("bad").replace("x86_64, aarch64", "sparc")).get(0).contains("sparc"));
        assertTrue(problemsOf(descriptor("bad").replace("heavy", "medium")).get(0).contains("weight"));
        assertTrue(problemsOf(descriptor("bad").replace("weight = heavy\n", "")).get(0).contains("weight"));
        assertTrue(problemsOf(descriptor("bad") + "colour = red\n").get(0).contains("colour"));
        assertTrue(problemsOf(descriptor("good")).get(0).contains("already used"));
        assertTrue(problemsOf(descriptor("bad").replace("domains/d.xml", "domains/missing.xml")).get(0)
                .contains("missing.xml"));
        assertTrue(problemsOf(descriptor("bad").replace("domains/d.xml", "../../etc/passwd")).get(0)
                .contains("outside"));
        assertTrue(problemsOf(descriptor("bad") + "domain.aarch64 = domains/d.xml\ndomain.riscv64 = x.xml\n")
                .get(0).contains("riscv64"));
    }

    @Test
    public void namesThatCouldInjectXmlAreRejected() throws Exception {
        for (String name : List.of("a<b", "x'/><evil/>", "a&amp;", "Upper", "-dash", "a b", "a/b")) {
            assertTrue(name, problemsOf(descriptor(name)).get(0).contains("name"));
        }
    }

    @Test
    public void badDomainXmlIsReported() throws Exception {
        Path f = folder();
        Files.writeString(f.resolve("domains/broken.xml"), "<domain><name>${name}</domain>");
        Files.writeString(f.resolve("domains/vm.xml"), "<vm>${name}</vm>");
        Files.writeString(f.resolve("domains/unknown.xml"), "<domain><name>${name}</name><x a='${secret}'/></domain>");
        Files.writeString(f.resolve("domains/xxe.xml"), "<!DOCTYPE domain [<!ENTITY e SYSTEM 'file:///etc/passwd'>]>"
                + "<domain><name>&e;</name></domain>");
        for (String file : List.of("broken", "vm", "unknown", "xxe")) {
            Files.writeString(f.resolve(file + ".properties"), descriptor(file).replace("d.xml", file + ".xml"));
        }
        Files.writeString(f.resolve("good.properties"), descriptor("good"));
        TemplateLoader.Result r = TemplateLoader.load(f);
        assertEquals(Set.of("good"), r.templates().keySet());
        assertEquals(r.problems().toString(), 4, r.problems().size());
        assertTrue(r.problems().get(0), r.problems().get(0).startsWith("broken.properties: domains/broken.xml"));
        assertTrue(r.problems().get(1), r.problems().get(1).contains("secret"));
        assertTrue(r.problems().get(2), r.problems().get(2).contains("<domain>"));
        assertTrue(r.problems().get(3), r.problems().get(3).startsWith("xxe.properties: "));
        assertFalse(r.problems().get(3), r.problems().get(3).contains("root:"));
    }

    @Test
    public void aMissingFolderIsAProblemNotAnError() {
        TemplateLoader.Result r = TemplateLoader.load(tmp.getRoot().toPath().resolve("nope"));
        assertTrue(r.templates().isEmpty());
        assertTrue(r.problems().get(0).contains("etc/org.betaas.vm.templates.cfg"));
    }

    @Test
    public void theRegistryNoticesAnEditedFolder() throws Exception {
        Path f = folder();
        FolderTemplateRegistry registry = new FolderTemplateRegistry(f);
        assertTrue(registry.templates().isEmpty());
        Files.writeString(f.resolve("store.properties"), descriptor("store"));
        assertEquals("store", registry.find("store").orElseThrow().name());
        assertEquals(DOMAIN, registry.domainXml("store", "x86_64").orElseThrow());
        assertTrue(registry.domainXml("store", "aarch64").isEmpty());
    }
}
