package org.betaas.adaptation.ble.tinyb.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Where tinyb's two native libraries come from: the board's own (a configured directory) or the ones this bundle
 * carries, copied out of the bundle for the JVM's architecture. Plain logic, no OSGi: {@link #locate} never loads.
 */
final class TinybNatives {

    /** Load order: libjavatinyb.so needs libtinyb.so (by its soname), which must be loaded first. */
    static final List<String> LIBRARIES = List.of("libtinyb.so", "libjavatinyb.so");

    private TinybNatives() {
    }

    /** The folder of the embedded libraries for a JVM {@code os.arch}, or null when none is carried. */
    static String embeddedFolder(String osName, String osArch) {
        if (osName == null || !osName.toLowerCase(Locale.ROOT).startsWith("linux") || osArch == null) {
            return null;
        }
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "native/linux/x86_64";
            case "arm", "armv6", "armv6l", "armv7", "armv7l" -> "native/arm/armv6";
            default -> null;
        };
    }

    /**
     * The two libraries to load, in order.
     *
     * @param configuredDir native.library.dir: empty for the embedded ones
     * @param osName        the JVM's os.name
     * @param osArch        the JVM's os.arch
     * @param extractDir    where the embedded ones are copied to
     * @param resources     opens a resource of this bundle by path, null when absent
     * @throws IOException with a message that says what to do
     */
    static List<Path> locate(String configuredDir, String osName, String osArch, Path extractDir,
                             Function<String, InputStream> resources) throws IOException {
        if (configuredDir != null && !configuredDir.isBlank()) {
            Path dir = Path.of(configuredDir.trim());
            for (String lib : LIBRARIES) {
                if (!Files.isReadable(dir.resolve(lib))) {
                    throw new IOException("no " + lib + " in " + dir + " (native.library.dir in "
                            + "etc/org.betaas.ble.tinyb.cfg: the board's libtinyb directory, or empty for the "
                            + "embedded libraries)");
                }
            }
            return LIBRARIES.stream().map(dir::resolve).toList();
        }
        String folder = embeddedFolder(osName, osArch);
        if (folder == null) {
            throw new IOException("this bundle carries libtinyb for Linux x86_64 and ARMv6 only, not " + osName + " "
                    + osArch + ": install the board's libtinyb and set native.library.dir in "
                    + "etc/org.betaas.ble.tinyb.cfg");
        }
        Path target = extractDir.resolve(folder.replace('/', '-'));
        Files.createDirectories(target);
        for (String lib : LIBRARIES) {
            try (InputStream in = resources.apply(folder + "/" + lib)) {
                if (in == null) {
                    throw new IOException(folder + "/" + lib + " is missing from the tinyb bundle");
                }
                Files.copy(in, target.resolve(lib), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return LIBRARIES.stream().map(target::resolve).toList();
    }
}
