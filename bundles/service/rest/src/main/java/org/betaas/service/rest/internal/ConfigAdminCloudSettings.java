package org.betaas.service.rest.internal;

import java.io.IOException;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/** The remote cloud configuration as PID {@code org.betaas.vm.openstack} of Configuration Admin. */
final class ConfigAdminCloudSettings implements CloudSettings {

    private final ConfigurationAdmin configAdmin;

    ConfigAdminCloudSettings(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    private Configuration configuration() throws IOException {
        // "?": any bundle (the OpenStack driver) may bind it
        return configAdmin.getConfiguration(PID, "?");
    }

    @Override
    public Map<String, Object> read() throws IOException {
        Dictionary<String, Object> props = configuration().getProperties();
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", "openstack");
        view.put("authUrl", "");
        view.put("user", "");
        view.put("project", "");
        view.put("domain", "Default");
        view.put("region", "");
        view.put("maxVms", 4);
        boolean passwordSet = false;
        if (props != null) {
            for (String key : CloudForm.KEYS) {
                Object value = props.get(key);
                if (PASSWORD.equals(key)) {
                    passwordSet = value != null && !value.toString().isEmpty();
                } else if (value != null) {
                    view.put(key, "maxVms".equals(key) ? toInt(value) : value.toString());
                }
            }
        }
        view.put("passwordSet", passwordSet);
        view.put("pid", PID);
        return view;
    }

    private static Object toInt(Object value) {
        try {
            return Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return value.toString();
        }
    }

    @Override
    public void write(Map<String, Object> values) throws IOException {
        Configuration configuration = configuration();
        Dictionary<String, Object> current = configuration.getProperties();
        Dictionary<String, Object> next = new Hashtable<>();
        if (current != null) {
            for (Enumeration<String> keys = current.keys(); keys.hasMoreElements(); ) {
                String key = keys.nextElement();
                next.put(key, current.get(key));
            }
        }
        values.forEach(next::put);
        configuration.update(next);
    }
}
