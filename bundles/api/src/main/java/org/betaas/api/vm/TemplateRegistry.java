package org.betaas.api.vm;

import java.util.List;
import java.util.Optional;

/** The VM templates this gateway knows, loaded from the distribution's {@code vm-templates/} folder. */
public interface TemplateRegistry {

    List<VmTemplate> templates();

    Optional<VmTemplate> find(String name);

    /** One message per template file that could not be loaded, naming the file and what is wrong. */
    List<String> problems();
}
