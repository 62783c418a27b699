package org.betaas.service.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS REST API",
        description = "The REST API under /betaas/api/v1: who may call it.")
@interface RestConfiguration {

    @AttributeDefinition(name = "JAAS realm", description = "Karaf JAAS realm that checks user names and passwords.")
    String jaas_realm() default "karaf";

    @AttributeDefinition(name = "Role", description = "Role a user needs to call the API.")
    String role() default "admin";

    @AttributeDefinition(name = "HTTP realm",
            description = "Realm named in the Basic challenge. The same as Karaf's web console (karaf), so that a "
                    + "browser logged in to the console reuses its credentials for the BETaaS tab's API calls.")
    String http_realm() default "karaf";
}
