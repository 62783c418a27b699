/** This gateway's identity and the live view of the BETaaS instance (the local cloud of gateways). */
@Export
@Version("1.1.0")
package org.betaas.api.instance;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
