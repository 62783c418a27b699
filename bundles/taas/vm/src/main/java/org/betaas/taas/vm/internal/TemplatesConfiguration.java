package org.betaas.taas.vm.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS VM templates", description = "Where the VM templates of this gateway are read from.")
@interface TemplatesConfiguration {

    @AttributeDefinition(name = "Template folder",
            description = "Folder of the *.properties template descriptors and their domain XML; empty for the "
                    + "distribution's vm-templates/ folder (${karaf.home}/vm-templates).")
    String folder() default "";
}
