/** Applications of the service layer: manifests, installed apps, per-app tokens and the things they were granted. */
@Export
@Version("1.0.0")
package org.betaas.api.apps;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
