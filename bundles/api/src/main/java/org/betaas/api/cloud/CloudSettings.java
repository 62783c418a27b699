package org.betaas.api.cloud;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * The remote cloud configuration as operators see it: everything but the password, of which only whether one is
 * set. The static methods are the one validation and merge that every editor (REST API, web console, shell) uses
 * before it writes PID {@link #PID} through Configuration Admin; they import nothing from OSGi.
 *
 * @param provider    the cloud type ({@code openstack})
 * @param authUrl     the Keystone v3 URL; empty when no cloud is configured
 * @param user        the cloud user
 * @param project     the project (tenant) the VMs are created in
 * @param domain      the Keystone domain of user and project
 * @param region      the compute region; empty for the first one
 * @param maxVms      the most remote VMs this gateway keeps; -1 when the stored value is not a number
 * @param passwordSet whether a password is stored (it is never shown)
 */
public record CloudSettings(String provider, String authUrl, String user, String project, String domain,
                            String region, int maxVms, boolean passwordSet) {

    /** The configuration PID, read by the OpenStack VM driver. */
    public static final String PID = "org.betaas.vm.openstack";
    public static final String PASSWORD = "password";
    public static final String MAX_VMS = "maxVms";
    public static final String AUTH_URL = "authUrl";
    public static final String PROVIDER = "provider";
    /** The keys an editor may change (as the OpenStack driver's configuration names them). */
    public static final List<String> KEYS = List.of(PROVIDER, AUTH_URL, "user", PASSWORD, "project", "domain",
            "region", MAX_VMS);
    public static final Set<String> PROVIDERS = Set.of("openstack");
    /** The driver's default VM limit. */
    public static final int DEFAULT_MAX_VMS = 4;

    /** The view of stored configuration properties ({@code null}: nothing stored, the driver's defaults). */
    public static CloudSettings of(Dictionary<String, ?> properties) {
        Map<String, String> v = new LinkedHashMap<>();
        if (properties != null) {
            for (String key : KEYS) {
                Object value = properties.get(key);
                if (value != null) {
                    v.put(key, value.toString().trim());
                }
            }
        }
        int maxVms;
        String limit = v.get(MAX_VMS);
        if (limit == null || limit.isEmpty()) {
            maxVms = DEFAULT_MAX_VMS;
        } else {
            try {
                maxVms = Integer.parseInt(limit);
            } catch (NumberFormatException e) {
                maxVms = -1;
            }
        }
        return new CloudSettings(v.getOrDefault(PROVIDER, "openstack"), v.getOrDefault(AUTH_URL, ""),
                v.getOrDefault("user", ""), v.getOrDefault("project", ""), v.getOrDefault("domain", "Default"),
                v.getOrDefault("region", ""), maxVms, !v.getOrDefault(PASSWORD, "").isEmpty());
    }

    /** Whether a cloud endpoint is configured at all. */
    public boolean configured() {
        return !authUrl.isEmpty();
    }

    /** Same as {@link #validate(Map, UnaryOperator)} with the keys as field names. */
    public static Map<String, Object> validate(Map<String, ?> changes) {
        return validate(changes, UnaryOperator.identity());
    }

    /**
     * Validates changes into configuration values: unknown keys, a provider other than {@link #PROVIDERS}, an
     * authUrl that is not http(s) (or carries credentials) and a VM limit that is not a whole number ≥ 0 are
     * refused. Null values are skipped; an empty password means "keep the stored one" and is left out.
     *
     * @param changes key → new value (strings, or a number for {@code maxVms})
     * @param label   how the caller's user names a key (e.g. {@code maxVms} → {@code --max-vms}), for messages
     * @return the values to store, by key
     * @throws IllegalArgumentException one readable sentence naming the field, the wrong value (never a password)
     *                                  and what to give instead
     */
    public static Map<String, Object> validate(Map<String, ?> changes, UnaryOperator<String> label) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : changes.entrySet()) {
            String key = e.getKey();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException("Unknown field '" + key + "': the cloud configuration has "
                        + String.join(", ", KEYS));
            }
            Object value = e.getValue();
            if (value == null) {
                continue;
            }
            String name = label.apply(key);
            switch (key) {
                case MAX_VMS -> values.put(key, maxVms(name, value));
                case PROVIDER -> {
                    String provider = text(name, value).toLowerCase(Locale.ROOT);
                    if (!PROVIDERS.contains(provider)) {
                        throw new IllegalArgumentException(name + " '" + provider + "' is not supported: use one of "
                                + String.join(", ", PROVIDERS));
                    }
                    values.put(key, provider);
                }
                case AUTH_URL -> values.put(key, url(name, text(name, value)));
                case PASSWORD -> {
                    if (!(value instanceof String password)) {
                        throw new IllegalArgumentException(name + " must be a string");
                    }
                    // write-only: an empty password means "keep the stored one"
                    if (!password.isEmpty()) {
                        values.put(key, password);
                    }
                }
                default -> values.put(key, text(name, value));
            }
        }
        return values;
    }

    /** The stored properties with {@code values} put over them (every other key is kept). */
    public static Hashtable<String, Object> merge(Dictionary<String, ?> current, Map<String, Object> values) {
        Hashtable<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                next.put(key, current.get(key));
            }
        }
        next.putAll(values);
        return next;
    }

    private static String text(String name, Object value) {
        if (!(value instanceof String s)) {
            throw new IllegalArgumentException(name + " must be a string, not " + value);
        }
        return s.trim();
    }

    private static int maxVms(String name, Object value) {
        int n;
        if (value instanceof Integer i) {
            n = i;
        } else if (value instanceof String s && s.trim().matches("-?\\d{1,6}")) {
            n = Integer.parseInt(s.trim());
        } else {
            throw new IllegalArgumentException(name + " must be a whole number of VMs (0 or more), not '" + value
                    + "'");
        }
        if (n < 0) {
            throw new IllegalArgumentException(name + " must be 0 or more, not " + n);
        }
        return n;
    }

    private static String url(String name, String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = new URI(value);
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(name + " must not contain credentials: give them as user and"
                        + " password");
            }
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (URISyntaxException e) {
            // reported below
        }
        // a value with '@' may hold credentials: not echoed
        throw new IllegalArgumentException(name + (value.contains("@") ? "" : " '" + value + "'")
                + " is not an http(s) URL of Keystone v3, e.g. https://cloud.example.org:5000/v3");
    }
}
