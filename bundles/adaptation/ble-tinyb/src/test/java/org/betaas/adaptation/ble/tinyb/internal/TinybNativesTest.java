package org.betaas.adaptation.ble.tinyb.internal;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class TinybNativesTest {

    @Rule
    public final TemporaryFolder tmp = new TemporaryFolder();

    private static final Function<String, InputStream> NONE = name -> null;

    @Test
    public void theEmbeddedFolderFollowsTheJvmArchitecture() {
        assertEquals("native/linux/x86_64", TinybNatives.embeddedFolder("Linux", "amd64"));
        assertEquals("native/arm/armv6", TinybNatives.embeddedFolder("Linux", "arm"));
        assertNull(TinybNatives.embeddedFolder("Linux", "aarch64"));
        assertNull(TinybNatives.embeddedFolder("Mac OS X", "x86_64"));
    }

    @Test
    public void embeddedLibrariesAreCopiedOutInLoadOrder() throws IOException {
        Map<String, String> jar = Map.of("native/arm/armv6/libtinyb.so", "core", "native/arm/armv6/libjavatinyb.so", "jni");
        Function<String, InputStream> resources = name -> jar.containsKey(name)
                ? new ByteArrayInputStream(jar.get(name).getBytes(StandardCharsets.UTF_8)) : null;
        Path out = tmp.getRoot().toPath();
        List<Path> libs = TinybNatives.locate("", "Linux", "arm", out, resources);
        assertEquals(List.of(out.resolve("native-arm-armv6/libtinyb.so"), out.resolve("native-arm-armv6/libjavatinyb.so")),
                libs);
        assertEquals("core", Files.readString(libs.get(0)));
        // a second start overwrites what an earlier one left
        assertEquals(libs, TinybNatives.locate("", "Linux", "arm", out, resources));
    }

    @Test
    public void aConfiguredDirectoryMustHoldBothLibraries() throws IOException {
        Path dir = tmp.newFolder("usr-lib").toPath();
        Files.writeString(dir.resolve("libtinyb.so"), "core");
        try {
            TinybNatives.locate(dir.toString(), "Linux", "amd64", tmp.getRoot().toPath(), NONE);
            fail("accepted a directory without libjavatinyb.so");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().startsWith("no libjavatinyb.so in " + dir));
            assertTrue(e.getMessage(), e.getMessage().contains("native.library.dir in etc/org.betaas.ble.tinyb.cfg"));
        }
        Files.writeString(dir.resolve("libjavatinyb.so"), "jni");
        assertEquals(List.of(dir.resolve("libtinyb.so"), dir.resolve("libjavatinyb.so")),
                TinybNatives.locate(" " + dir + " ", "Linux", "aarch64", tmp.getRoot().toPath(), NONE));
    }

    @Test
    public void anArchitectureWithoutEmbeddedLibrariesSaysWhatToDo() {
        try {
            TinybNatives.locate("", "Linux", "aarch64", tmp.getRoot().toPath(), NONE);
            fail("no libraries for aarch64");
        } catch (IOException e) {
            assertTrue(e.getMessage(), e.getMessage().contains("not Linux aarch64: install the board's libtinyb and set "
                    + "native.library.dir"));
        }
    }
}
