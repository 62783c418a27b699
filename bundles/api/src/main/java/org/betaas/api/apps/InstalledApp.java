package org.betaas.api.apps;

/**
 * The answer to an installation: the app and its access token. The token is shown only here, once; the gateway
 * keeps only its SHA-256 hash.
 */
public record InstalledApp(App app, String token) {

    @Override
    public String toString() {
        return "InstalledApp[app=" + app + ", token=(hidden)]";
    }
}
