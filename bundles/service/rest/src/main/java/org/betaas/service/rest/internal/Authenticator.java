package org.betaas.service.rest.internal;

import java.util.Optional;
import java.util.Set;

/** Checks a user name and password; Karaf JAAS in the gateway, a fake in tests. */
@FunctionalInterface
interface Authenticator {
    /** The user's roles when the credentials are right, empty when they are wrong. Never throws. */
    Optional<Set<String>> login(String user, char[] password);
}
