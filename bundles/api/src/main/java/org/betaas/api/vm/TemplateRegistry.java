package org.betaas.api.vm;

import java.util.List;
import java.util.Optional;

/** The VM templates this gateway knows, loaded from the distribution's {@code vm-templates/} folder. */
public interface TemplateRegistry {

    List<VmTemplate> templates();

    Optional<VmTemplate> find(String name);

    /** One message per template file that could not be loaded, naming the file and what is wrong. */
    List<String> problems();

    /**
     * The libvirt domain XML of a template for one CPU architecture, with its {@code ${...}} placeholders not yet
     * filled in; empty when the template has none for that architecture (e.g. a cloud-only template).
     */
    default Optional<String> domainXml(String template, String architecture) {
        return Optional.empty();
    }

    /** The folder the templates come from; relative image paths of templates resolve against it. */
    default Optional<java.nio.file.Path> folder() {
        return Optional.empty();
    }
}
