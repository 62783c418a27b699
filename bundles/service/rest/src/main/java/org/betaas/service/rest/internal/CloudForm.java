package org.betaas.service.rest.internal;

import java.util.List;
import java.util.Map;

import org.betaas.api.cloud.CloudSettings;

/**
 * The remote cloud form (from the web console or a PUT /cloud): {@link CloudSettings#validate(Map)} with its
 * refusals as 400 answers naming the field.
 */
final class CloudForm {

    /** Keys of PID {@code org.betaas.vm.openstack} the form edits (as the OpenStack driver's configuration names them). */
    static final List<String> KEYS = CloudSettings.KEYS;

    private CloudForm() {
    }

    static Map<String, Object> validate(Map<String, Object> body) {
        try {
            return CloudSettings.validate(body);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }
}
