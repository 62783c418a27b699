package org.betaas.service.instance.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

@ObjectClassDefinition(name = "BETaaS Gateway", description = "This gateway's identity within its BETaaS instance.")
@interface GatewayConfiguration {

    @AttributeDefinition(name = "Gateway id", description = "Unique within the instance; letters, digits, '.', '_', '-'.")
    String gateway_id() default "gw-1";

    @AttributeDefinition(name = "Instance id", description = "The BETaaS instance (local cloud of gateways) to belong to.")
    String instance_id() default "home";
}
