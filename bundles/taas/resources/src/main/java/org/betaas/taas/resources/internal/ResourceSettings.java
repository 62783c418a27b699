package org.betaas.taas.resources.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The resource history configuration parsed once into checked values. Wrong values are replaced by the defaults
 * and reported as problems, so a typo never stops the sampling.
 */
record ResourceSettings(Duration interval, Duration history, Duration refit, int horizon, String databaseUrl,
                        List<String> problems) {

    static final String FILE = "etc/org.betaas.resources.cfg";
    static final int DEFAULT_INTERVAL_SECONDS = 60;
    static final int DEFAULT_HISTORY_HOURS = 6;
    static final int DEFAULT_REFIT_SECONDS = 900;
    static final int DEFAULT_HORIZON = 5;
    /** A day of samples at one a second: bounds memory and fit time whatever the configuration. */
    static final int MAX_SLOTS = 86_400;

    ResourceSettings {
        problems = List.copyOf(problems);
    }

    /** The number of samples the history holds. */
    int slots() {
        return (int) Math.max(1, Math.min(MAX_SLOTS, history.toMillis() / Math.max(1, interval.toMillis())));
    }

    static ResourceSettings parse(String intervalSeconds, String historyHours, String refitSeconds, String horizon,
                                  String databaseUrl, String karafData) {
        List<String> problems = new ArrayList<>();
        int interval = checked("interval.seconds", intervalSeconds, 1, 86_400, DEFAULT_INTERVAL_SECONDS, problems);
        int hours = checked("history.hours", historyHours, 1, 24 * 31, DEFAULT_HISTORY_HOURS, problems);
        int refit = checked("refit.seconds", refitSeconds, 1, 7 * 86_400, DEFAULT_REFIT_SECONDS, problems);
        int steps = checked("forecast.horizon", horizon, 1, 10_000, DEFAULT_HORIZON, problems);
        String url = databaseUrl == null ? "" : databaseUrl.trim();
        if (url.isEmpty()) {
            String data = karafData == null || karafData.isBlank() ? "data" : karafData;
            url = "jdbc:h2:file:" + Path.of(data, "betaas", "resources").toAbsolutePath();
        } else if (!url.startsWith("jdbc:h2:")) {
            problems.add("database.url in " + FILE + " is '" + url + "': give an H2 URL such as"
                    + " jdbc:h2:file:/var/lib/betaas/resources, or leave it empty (using the default meanwhile)");
            url = parse("", "", "", "", "", karafData).databaseUrl();
        }
        return new ResourceSettings(Duration.ofSeconds(interval), Duration.ofHours(hours), Duration.ofSeconds(refit),
                steps, url, problems);
    }

    private static int checked(String key, String text, int min, int max, int fallback, List<String> problems) {
        String v = text == null ? "" : text.trim();
        if (v.isEmpty()) {
            return fallback;
        }
        try {
            int value = Integer.parseInt(v);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        problems.add(key + " in " + FILE + " is '" + v + "': give a whole number from " + min + " to " + max
                + " (using " + fallback + " meanwhile)");
        return fallback;
    }
}
