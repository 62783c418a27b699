package org.betaas.shell.cloud;

import java.io.PrintStream;
import java.util.Map;

import org.betaas.api.cloud.CloudSettings;

/** How the cloud commands name the configuration keys and print the settings (never the password). */
final class CloudText {

    /** Configuration key → the option of betaas:cloud-configure that sets it. */
    static final Map<String, String> OPTIONS = Map.of(
            CloudSettings.PROVIDER, "--provider",
            CloudSettings.AUTH_URL, "--endpoint",
            "user", "--user",
            CloudSettings.PASSWORD, "--password",
            "project", "--project",
            "domain", "--domain",
            "region", "--region",
            CloudSettings.MAX_VMS, "--max-vms");

    private CloudText() {
    }

    static String option(String key) {
        return OPTIONS.getOrDefault(key, key);
    }

    static void print(PrintStream out, CloudSettings s) {
        out.println("Provider    " + s.provider());
        out.println("Endpoint    " + (s.configured() ? s.authUrl()
                : "not configured (betaas:cloud-configure --endpoint https://HOST:5000/v3 ...)"));
        out.println("User        " + orNone(s.user()));
        out.println("Project     " + orNone(s.project()));
        out.println("Domain      " + orNone(s.domain()));
        out.println("Region      " + (s.region().isEmpty() ? "(the first public one)" : s.region()));
        out.println("VM limit    " + (s.maxVms() < 0 ? "not a number in etc/" + CloudSettings.PID
                + ".cfg: set it with betaas:cloud-configure --max-vms N" : Integer.toString(s.maxVms())));
        out.println("Password    " + (s.passwordSet() ? "set (never shown)"
                : "not set (betaas:cloud-configure --password)"));
    }

    private static String orNone(String value) {
        return value.isEmpty() ? "(none)" : value;
    }
}
