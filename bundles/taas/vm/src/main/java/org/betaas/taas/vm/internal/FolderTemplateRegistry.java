package org.betaas.taas.vm.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.betaas.api.vm.TemplateRegistry;
import org.betaas.api.vm.VmTemplate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The templates of a folder, re-read whenever a file in it changes (checked on each call: a handful of files).
 */
@Component(configurationPid = "org.betaas.vm.templates", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = "service.description=BETaaS VM templates from the vm-templates folder")
@Designate(ocd = TemplatesConfiguration.class)
public final class FolderTemplateRegistry implements TemplateRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(FolderTemplateRegistry.class);

    private final Path folder;
    private String fingerprint;
    private TemplateLoader.Result loaded;

    @Activate
    public FolderTemplateRegistry(TemplatesConfiguration config) {
        this(folder(config.folder()));
    }

    /** Outside OSGi (benchmarks, tools): the templates of a folder. */
    public static FolderTemplateRegistry of(Path folder) {
        return new FolderTemplateRegistry(folder);
    }

    FolderTemplateRegistry(Path folder) {
        this.folder = folder;
        current();
    }

    static Path folder(String configured) {
        if (configured != null && !configured.isBlank()) {
            return Paths.get(configured.trim());
        }
        return Paths.get(System.getProperty("karaf.home", "."), "vm-templates");
    }

    private synchronized TemplateLoader.Result current() {
        String now = fingerprint();
        if (loaded == null || !now.equals(fingerprint)) {
            loaded = TemplateLoader.load(folder);
            fingerprint = now;
            LOG.info("Loaded {} VM templates from {}", loaded.templates().size(), folder);
            loaded.problems().forEach(p -> LOG.warn("VM template problem: {}", p));
        }
        return loaded;
    }

    /** Names, sizes and times of the folder's files, so that an edit is noticed. */
    private String fingerprint() {
        StringBuilder b = new StringBuilder();
        List<Path> dirs = List.of(folder, folder.resolve("domains"));
        for (Path dir : dirs) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                s.sorted().forEach(p -> {
                    try {
                        b.append(p.getFileName()).append(':').append(Files.size(p)).append(':')
                                .append(Files.getLastModifiedTime(p).toMillis()).append(';');
                    } catch (IOException e) {
                        b.append(p.getFileName()).append(":?;");
                    }
                });
            } catch (IOException e) {
                b.append(dir).append(":unreadable;");
            }
        }
        return b.toString();
    }

    @Override
    public List<VmTemplate> templates() {
        return current().templates().values().stream().map(TemplateLoader.Loaded::template).toList();
    }

    @Override
    public Optional<VmTemplate> find(String name) {
        return Optional.ofNullable(current().templates().get(name)).map(TemplateLoader.Loaded::template);
    }

    @Override
    public List<String> problems() {
        return new ArrayList<>(current().problems());
    }

    @Override
    public Optional<String> domainXml(String template, String architecture) {
        return Optional.ofNullable(current().templates().get(template)).map(l -> l.domainXml().get(architecture));
    }

    @Override
    public Optional<Path> folder() {
        return Optional.of(folder.toAbsolutePath().normalize());
    }
}
