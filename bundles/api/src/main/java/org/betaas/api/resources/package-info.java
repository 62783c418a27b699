/** Resource snapshots of a gateway and their forecasts (Holt's linear method). */
@Export
@Version("1.1.0")
package org.betaas.api.resources;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
