package org.betaas.service.rest.internal;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Validates the remote cloud form (from the web console or a PUT /cloud) into configuration values for the
 * OpenStack driver. Unknown keys, a bad URL or a negative VM limit are rejected with one message naming the field.
 */
final class CloudForm {

    /** Keys of PID {@code org.betaas.vm.openstack} the form edits (as the OpenStack driver's configuration names them). */
    static final List<String> KEYS = List.of("provider", "authUrl", "user", "password", "project", "domain", "region",
            "maxVms");
    static final Set<String> PROVIDERS = Set.of("openstack");

    private CloudForm() {
    }

    static Map<String, Object> validate(Map<String, Object> body) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : body.entrySet()) {
            String key = e.getKey();
            if (!KEYS.contains(key)) {
                throw ApiException.badRequest("Unknown field '" + key + "': the cloud form has " + String.join(", ", KEYS));
            }
            Object value = e.getValue();
            if (value == null) {
                continue;
            }
            switch (key) {
                case "maxVms" -> values.put(key, maxVms(value));
                case "provider" -> {
                    String provider = text(key, value).toLowerCase(java.util.Locale.ROOT);
                    if (!PROVIDERS.contains(provider)) {
                        throw ApiException.badRequest("provider '" + provider + "' is not supported: use one of "
                                + String.join(", ", PROVIDERS));
                    }
                    values.put(key, provider);
                }
                case "authUrl" -> values.put(key, url(text(key, value)));
                case CloudSettings.PASSWORD -> {
                    String password = value instanceof String s ? s : text(key, value);
                    // write-only: an empty password field means "keep the stored one"
                    if (!password.isEmpty()) {
                        values.put(key, password);
                    }
                }
                default -> values.put(key, text(key, value));
            }
        }
        return values;
    }

    private static String text(String key, Object value) {
        if (!(value instanceof String s)) {
            throw ApiException.badRequest("Field '" + key + "' must be a string");
        }
        return s.trim();
    }

    private static int maxVms(Object value) {
        int n;
        if (value instanceof Integer i) {
            n = i;
        } else if (value instanceof String s && s.trim().matches("\\d{1,6}")) {
            n = Integer.parseInt(s.trim());
        } else {
            throw ApiException.badRequest("maxVms must be a whole number of VMs (0 or more), not '" + value + "'");
        }
        if (n < 0) {
            throw ApiException.badRequest("maxVms must be 0 or more, not " + n);
        }
        return n;
    }

    private static String url(String value) {
        if (value.isEmpty()) {
            return value;
        }
        try {
            URI uri = new URI(value);
            if (uri.getRawUserInfo() != null) {
                throw ApiException.badRequest("authUrl must not contain credentials: give them as user and password");
            }
            if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null) {
                return value;
            }
        } catch (java.net.URISyntaxException e) {
            // reported below
        }
        throw ApiException.badRequest("authUrl '" + value + "' is not an http(s) URL of Keystone v3, e.g. https://cloud.example.org:5000/v3");
    }
}
