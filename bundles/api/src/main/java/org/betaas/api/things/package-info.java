/** Things (sensors and actuators) of the adaptation layer and their measurements. */
@Export
@Version("1.0.0")
package org.betaas.api.things;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
