package org.betaas.service.rest.internal;

import java.security.Principal;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import javax.security.auth.Subject;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks credentials against a Karaf JAAS realm (users.properties by default); the user's roles are the names
 * of its {@code RolePrincipal}s.
 */
final class JaasAuthenticator implements Authenticator {

    private static final Logger LOG = LoggerFactory.getLogger(JaasAuthenticator.class);
    private static final String ROLE_PRINCIPAL = "org.apache.karaf.jaas.boot.principal.RolePrincipal";

    private final String realm;

    JaasAuthenticator(String realm) {
        this.realm = realm;
    }

    @Override
    public Optional<Set<String>> login(String user, char[] password) {
        Subject subject = new Subject();
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // LoginContext loads Karaf's proxy login module through the context class loader
        thread.setContextClassLoader(JaasAuthenticator.class.getClassLoader());
        try {
            LoginContext context = new LoginContext(realm, subject, callbacks -> {
                for (var callback : callbacks) {
                    if (callback instanceof NameCallback name) {
                        name.setName(user);
                    } else if (callback instanceof PasswordCallback pass) {
                        pass.setPassword(password);
                    } else {
                        throw new UnsupportedCallbackException(callback);
                    }
                }
            });
            context.login();
            Set<String> roles = subject.getPrincipals().stream()
                    .filter(p -> ROLE_PRINCIPAL.equals(p.getClass().getName()))
                    .map(Principal::getName).collect(Collectors.toSet());
            try {
                context.logout();
            } catch (LoginException e) {
                LOG.debug("JAAS logout of {}", user, e);
            }
            return Optional.of(roles);
        } catch (LoginException e) {
            LOG.info("REST API: failed login of user '{}' in JAAS realm {}", user, realm);
            return Optional.empty();
        } catch (RuntimeException e) {
            LOG.warn("REST API: JAAS realm {} failed for user '{}'", realm, user, e);
            return Optional.empty();
        } finally {
            thread.setContextClassLoader(previous);
        }
    }
}
