package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;

import io.cocoplane.attestation.core.EarSigningKey;
import io.cocoplane.eventing.test.TestInfra;

/**
 * The EAR signing key is never ephemeral: a second application context on the same database serves the same
 * {@code kid} and public key; a configured PKCS#8 PEM file is used instead of the database key. The default
 * settings refuse the sample TEE over HTTP.
 */
@TestInfra(schema = "attestation")
class SigningKeyPersistenceTest {

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(AttestationApplication.class).properties(properties).run();
    }

    private static ECKey servedKey(ConfigurableApplicationContext ctx) throws Exception {
        int port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
        var r = TestSupport.get(port, "/.well-known/jwks.json");
        assertThat(r.statusCode()).isEqualTo(200);
        JWKSet set = JWKSet.parse(r.body());
        assertThat(set.getKeys()).hasSize(1);
        return (ECKey) set.getKeys().get(0);
    }

    @Test
    void theDatabaseKeySurvivesARestart() throws Exception {
        ECKey first;
        try (ConfigurableApplicationContext a = start()) {
            first = servedKey(a);
        }
        try (ConfigurableApplicationContext b = start()) {
            ECKey second = servedKey(b);
            assertThat(second.getKeyID()).isEqualTo(first.getKeyID());
            assertThat(second.getX()).isEqualTo(first.getX());
            assertThat(second.getY()).isEqualTo(first.getY());
            assertThat(second.getKeyID()).isEqualTo(second.computeThumbprint().toString());
            // this context runs with the default settings: the sample TEE is refused over HTTP
            int port = Integer.parseInt(b.getEnvironment().getProperty("local.server.port"));
            var r = TestSupport.post(port, "/attestation", new String(SampleTeeConfigurationTest.validSampleRequestBody(),
                    java.nio.charset.StandardCharsets.UTF_8), null);
            assertThat(r.statusCode()).isEqualTo(403);
            assertThat(TestSupport.JSON.readTree(r.body()).get("check").asString()).isEqualTo("tee_not_enabled");
        }
    }

    @Test
    void aConfiguredPemFileIsUsed(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("ear.pem");
        String pem = EarSigningKey.generatePem();
        Files.writeString(file, pem);
        String expectedKid = EarSigningKey.fromPem(pem).kid();
        try (ConfigurableApplicationContext a = start("cocoplane.attestation.signing-key-file=" + file)) {
            assertThat(servedKey(a).getKeyID()).isEqualTo(expectedKid);
        }
    }
}
