package io.cocoplane.katasim;

import java.net.URI;
import java.util.Objects;

/**
 * How the simulated guest authenticates to registries when pulling.
 */
public sealed interface RegistryAuth {

    /** @return anonymous pulls only: a 401 from the registry fails the pull ("Not authorized") */
    static RegistryAuth none() {
        return None.INSTANCE;
    }

    /**
     * Docker token authentication through a fixed token endpoint (the gateway's
     * {@code GET /auth/token?service=<service>&scope=repository:<name>:pull}, {@code services/gateway/README.md}) with
     * HTTP Basic credentials. When the registry answers 401 with a {@code Bearer} challenge, the challenge's
     * {@code service} (else {@link TokenEndpoint#defaultService()}) is sent to this endpoint; the challenge's
     * {@code realm} is never contacted, as in {@code cococtl}.
     *
     * @param endpoint the token endpoint, absolute {@code http(s)} URL without query or fragment
     * @param username Basic user, 1..256 characters without {@code :} or control characters
     * @param password Basic password, 1..1024 characters
     * @return the auth
     * @throws IllegalArgumentException when a rule above is broken
     */
    static RegistryAuth tokenEndpoint(URI endpoint, String username, String password) {
        return new TokenEndpoint(endpoint, username, password, TokenEndpoint.DEFAULT_SERVICE);
    }

    /** Anonymous pulls. */
    enum None implements RegistryAuth {
        /** The only instance. */
        INSTANCE
    }

    /**
     * Token endpoint with Basic credentials (see {@link RegistryAuth#tokenEndpoint}).
     *
     * @param endpoint       the token endpoint
     * @param username       Basic user
     * @param password       Basic password (never printed by {@link #toString()})
     * @param defaultService the {@code service} sent when the registry's challenge names none
     */
    record TokenEndpoint(URI endpoint, String username, String password, String defaultService)
            implements RegistryAuth {

        /** The gateway's default registry service name. */
        public static final String DEFAULT_SERVICE = "cocoplane-registry";

        /** @throws IllegalArgumentException when a component is missing or malformed */
        public TokenEndpoint {
            Objects.requireNonNull(endpoint, "endpoint");
            if (!endpoint.isAbsolute() || endpoint.getHost() == null
                    || !("http".equals(endpoint.getScheme()) || "https".equals(endpoint.getScheme()))
                    || endpoint.getRawQuery() != null || endpoint.getRawFragment() != null
                    || endpoint.getRawUserInfo() != null) {
                throw new IllegalArgumentException("registry token endpoint must be an absolute http(s) URL with a "
                        + "host and no user info, query or fragment: " + endpoint);
            }
            if (username == null || username.isEmpty() || username.length() > 256 || username.indexOf(':') >= 0
                    || username.chars().anyMatch(Character::isISOControl)) {
                throw new IllegalArgumentException("registry user must be 1..256 characters without ':' or controls");
            }
            if (password == null || password.isEmpty() || password.length() > 1024) {
                throw new IllegalArgumentException("registry password must be 1..1024 characters");
            }
            if (defaultService == null || defaultService.isBlank() || defaultService.length() > 256) {
                throw new IllegalArgumentException("default registry service must be 1..256 characters");
            }
        }

        /** @return the endpoint and user, never the password */
        @Override
        public String toString() {
            return "TokenEndpoint[" + endpoint + ", user=" + username + ", service=" + defaultService + "]";
        }
    }
}
