package org.betaas.service.rest.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import org.betaas.api.cloud.CloudSettings;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The remote cloud configuration as PID {@code org.betaas.vm.openstack} of Configuration Admin; the view and the
 * merge are {@link CloudSettings}' (shared with betaas:cloud-configure and betaas:cloud-info).
 */
final class ConfigAdminCloudSettings implements CloudStore {

    private final ConfigurationAdmin configAdmin;

    ConfigAdminCloudSettings(ConfigurationAdmin configAdmin) {
        this.configAdmin = configAdmin;
    }

    private Configuration configuration() throws IOException {
        // "?": any bundle (the OpenStack driver) may bind it
        return configAdmin.getConfiguration(CloudSettings.PID, "?");
    }

    @Override
    public Map<String, Object> read() throws IOException {
        return view(CloudSettings.of(configuration().getProperties()));
    }

    /** The JSON view: the settings (never the password), whether a password is set, and the PID. */
    static Map<String, Object> view(CloudSettings s) {
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("provider", s.provider());
        view.put("authUrl", s.authUrl());
        view.put("user", s.user());
        view.put("project", s.project());
        view.put("domain", s.domain());
        view.put("region", s.region());
        view.put("maxVms", s.maxVms() < 0 ? null : s.maxVms());
        view.put("passwordSet", s.passwordSet());
        view.put("pid", CloudSettings.PID);
        return view;
    }

    @Override
    public void write(Map<String, Object> values) throws IOException {
        Configuration configuration = configuration();
        configuration.update(CloudSettings.merge(configuration.getProperties(), values));
    }
}
