package io.cocoplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Defaults of {@link RegistryProperties.Auth} that other components depend on. */
class RegistryPropertiesTest {

    /**
     * Regression: the default realm named {@code /api/v1/registry/token}, a path the gateway never served, so a client
     * following the challenge of an unconfigured registry got a 404 instead of a token. The gateway's Docker token
     * endpoint is {@code GET /auth/token} on port 8080 (ARCHITECTURE §6).
     */
    @Test
    void defaultRealmIsTheGatewaysTokenEndpoint() {
        var auth = new RegistryProperties.Auth(null, null, null, null, null, null, null, null, null);
        assertThat(auth.realm()).isEqualTo("http://127.0.0.1:8080/auth/token");
        assertThat(auth.service()).isEqualTo("cocoplane-registry");
    }
}
