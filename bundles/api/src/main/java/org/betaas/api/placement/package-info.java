/** Placement of VMs by the TaaS Resources Manager: local, on a peer gateway, or on the remote cloud. */
@Export
@Version("1.1.0")
package org.betaas.api.placement;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
