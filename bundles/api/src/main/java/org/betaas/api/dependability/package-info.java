/** The Dependability Manager: failures of components, VMs and peers, what was done about them, the outcome. */
@Export
@Version("1.1.0")
package org.betaas.api.dependability;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
