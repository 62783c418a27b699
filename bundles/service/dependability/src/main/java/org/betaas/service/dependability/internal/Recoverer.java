package org.betaas.service.dependability.internal;

/** Performs one recovery attempt for a failure. */
interface Recoverer {

    /**
     * The result of an attempt that did not throw.
     *
     * @param action   what was done, e.g. {@code disable+enable through SCR}
     * @param resolved true when the failure is over for good (e.g. a VM re-placed under a new id): no check needed
     * @param outcome  the outcome to record when resolved
     */
    record Attempt(String action, boolean resolved, String outcome) {
        static Attempt pending(String action) {
            return new Attempt(action, false, null);
        }
    }

    /**
     * Acts on the failure; the next observation tells whether it worked. Returns null when, looked at again, the
     * subject no longer fails (e.g. a VM destroyed meanwhile): nothing is done or recorded.
     *
     * @throws Exception when the action itself failed; its message is recorded
     */
    Attempt recover(Failure failure, int attempt) throws Exception;

    /** The action recorded for failures that are only noted ({@link Failure#act()} false). */
    default String noteAction(Failure failure) {
        return "none";
    }
}
