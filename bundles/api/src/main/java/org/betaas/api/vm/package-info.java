/** VM templates, VM instances and the VM Manager with its drivers (libvirt, OpenStack). */
@Export
@Version("1.3.0")
package org.betaas.api.vm;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
