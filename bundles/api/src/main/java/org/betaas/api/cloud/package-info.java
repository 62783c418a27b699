/**
 * The remote cloud configuration (PID {@code org.betaas.vm.openstack}) as the REST API, the web console and the
 * shell edit it: one validation and one view, the password write-only.
 */
@Export
@Version("1.0.0")
package org.betaas.api.cloud;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
