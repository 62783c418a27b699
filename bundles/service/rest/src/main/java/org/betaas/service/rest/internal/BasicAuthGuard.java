package org.betaas.service.rest.internal;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP Basic authentication against an {@link Authenticator}: the error answer (401 with a challenge, 403 when
 * the role is lacking), or empty when the caller may proceed.
 */
final class BasicAuthGuard {

    private final Authenticator authenticator;
    private final String requiredRole;
    private final String httpRealm;

    BasicAuthGuard(Authenticator authenticator, String requiredRole, String httpRealm) {
        this.authenticator = authenticator;
        this.requiredRole = requiredRole;
        this.httpRealm = httpRealm;
    }

    Optional<ApiResponse> check(String authorizationHeader) {
        Optional<Credentials> credentials = Credentials.parse(authorizationHeader);
        if (credentials.isEmpty()) {
            if (authorizationHeader != null && authorizationHeader.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return Optional.of(unauthorized("An app token is not accepted here: this endpoint needs a Karaf user"
                        + " with the role '" + requiredRole + "' (HTTP Basic); apps use " + BetaasApi.BASE + "/app/..."));
            }
            return Optional.of(unauthorized("Authentication required: HTTP Basic with a Karaf user"));
        }
        Credentials c = credentials.get();
        Optional<Set<String>> roles = authenticator.login(c.user(), c.password());
        java.util.Arrays.fill(c.password(), '\0');
        if (roles.isEmpty()) {
            return Optional.of(unauthorized("Wrong user name or password"));
        }
        if (!roles.get().contains(requiredRole)) {
            return Optional.of(ApiResponse.error(403, "forbidden",
                    "User " + c.user() + " lacks the role '" + requiredRole + "' this API requires", Map.of()));
        }
        return Optional.empty();
    }

    private ApiResponse unauthorized(String message) {
        return ApiResponse.error(401, "unauthorized", message,
                Map.of("WWW-Authenticate", "Basic realm=\"" + httpRealm.replace("\"", "") + "\", charset=\"UTF-8\""));
    }

    /** User and password of a {@code Basic} Authorization header. */
    record Credentials(String user, char[] password) {
        static Optional<Credentials> parse(String header) {
            if (header == null || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return Optional.empty();
            }
            String decoded;
            try {
                decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new Credentials(decoded.substring(0, colon), decoded.substring(colon + 1).toCharArray()));
        }
    }
}
