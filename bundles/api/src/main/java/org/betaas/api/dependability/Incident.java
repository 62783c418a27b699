package org.betaas.api.dependability;

import java.time.Instant;

/**
 * One failure episode of one subject and what the Dependability Manager did about it.
 *
 * @param id       increasing number, unique on this gateway
 * @param time     when the failure was first seen
 * @param kind     what failed
 * @param subject  its name: component name, bundle symbolic name, VM id or gateway id
 * @param what     what happened, e.g. {@code FAILED ACTIVATION} or {@code VANISHED}
 * @param action   what was done, e.g. {@code disable+enable through SCR} or {@code left to the Instance Manager}
 * @param outcome  the result so far: {@link #RECOVERING}, {@link #RECOVERED}, {@link #GAVE_UP}, {@link #NOTED}
 *                 or a sentence (e.g. naming a replacement VM)
 * @param attempts recovery attempts made
 * @param updated  when the incident last changed
 */
public record Incident(long id, Instant time, SubjectKind kind, String subject, String what, String action,
                       String outcome, int attempts, Instant updated) {

    public static final String RECOVERING = "recovering";
    public static final String RECOVERED = "recovered";
    public static final String GAVE_UP = "gave up";
    public static final String NOTED = "noted";

    /** What kind of thing failed. */
    public enum SubjectKind {
        /** A BETaaS Declarative Services component. */
        COMPONENT,
        /** A BETaaS bundle that stopped. */
        BUNDLE,
        /** A VM of this gateway's VM Manager. */
        VM,
        /** A gateway of the instance. */
        PEER
    }

    /** The same incident with a new action, outcome and attempt count. */
    public Incident with(String newAction, String newOutcome, int newAttempts, Instant when) {
        return new Incident(id, time, kind, subject, what, newAction, newOutcome, newAttempts, when);
    }
}
