package org.betaas.service.manager.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

import org.betaas.api.apps.AppException;
import org.betaas.api.apps.AppException.Reason;

/**
 * The web application of a manifest ({@code webapp.war}): a readable local file (a path or a {@code file:} URL)
 * that is a zip with a {@code WEB-INF/} folder. Install keeps a copy in the app's own folder
 * ({@code <apps>/<app>/<name>.war}) for the service VM.
 */
final class WarFile {

    private WarFile() {
    }

    /** The local file {@code war} names, checked to be a web application archive. */
    static Path validate(String app, String war) throws AppException {
        Path path;
        try {
            if (war.regionMatches(true, 0, "file:", 0, 5)) {
                path = Paths.get(URI.create(war));
            } else if (war.contains("://")) {
                throw refused(app, war, "is not a local file: give a path or file: URL on this gateway (copy the"
                        + " war here first)");
            } else {
                path = Paths.get(war);
            }
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            throw refused(app, war, "is not a valid path or file: URL (" + e.getMessage() + ")");
        }
        path = path.toAbsolutePath().normalize();
        if (!Files.isRegularFile(path) || !Files.isReadable(path)) {
            throw refused(app, war, "is not a readable file on this gateway: check the path (absolute, readable by"
                    + " the gateway's user)");
        }
        try (ZipFile zip = new ZipFile(path.toFile())) {
            boolean webInf = false;
            for (Enumeration<? extends ZipEntry> e = zip.entries(); e.hasMoreElements() && !webInf; ) {
                webInf = e.nextElement().getName().startsWith("WEB-INF/");
            }
            if (!webInf) {
                throw refused(app, war, "is a zip without a WEB-INF/ folder: package the web application as a war"
                        + " (WEB-INF/web.xml, classes, lib)");
            }
        } catch (ZipException e) {
            throw refused(app, war, "is not a war (not a zip archive): package the web application as a war");
        } catch (IOException e) {
            throw refused(app, war, "cannot be read (" + e.getMessage() + ")");
        }
        return path;
    }

    /** Copies the war into {@code <apps>/<app>/}, keeping its file name (with a .war suffix). */
    static Path copy(String app, Path war, Path appsDir) throws AppException {
        String name = war.getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        if (!name.endsWith(".war")) {
            name = name + ".war";
        }
        Path dir = appsDir.resolve(app);
        Path target = dir.resolve(name);
        try {
            Files.createDirectories(dir);
            Files.copy(war, target, StandardCopyOption.REPLACE_EXISTING);
            return target;
        } catch (IOException e) {
            deleteQuietly(dir);
            throw new AppException(Reason.UNAVAILABLE, "Cannot install app '" + app + "': its webapp.war could not"
                    + " be copied to " + target + " (" + e.getMessage() + ")", e);
        }
    }

    /** Removes the app's folder of copied files, if any. */
    static void deleteQuietly(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (IOException | java.io.UncheckedIOException e) {
            org.slf4j.LoggerFactory.getLogger(WarFile.class).warn("Cannot remove {}: {}", dir, e.getMessage());
        }
    }

    private static AppException refused(String app, String war, String what) {
        return new AppException(Reason.INVALID, "Cannot install app '" + app + "': webapp.war '"
                + war.replaceAll("\\p{Cntrl}", "?") + "' " + what);
    }
}
