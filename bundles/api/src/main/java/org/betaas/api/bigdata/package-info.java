/** The Big Data Manager of the service layer: measurements kept over time, and the Big Data nodes it holds. */
@Export
@Version("1.1.0")
package org.betaas.api.bigdata;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
