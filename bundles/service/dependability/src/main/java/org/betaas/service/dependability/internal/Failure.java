package org.betaas.service.dependability.internal;

import org.betaas.api.dependability.Incident.SubjectKind;

/**
 * A subject seen failing now.
 *
 * @param kind    what it is
 * @param subject its name
 * @param what    what is wrong, in the operator's words
 * @param act     false when the Dependability Manager only notes it (another manager acts)
 */
record Failure(SubjectKind kind, String subject, String what, boolean act) {

    String key() {
        return kind + ":" + subject;
    }
}
