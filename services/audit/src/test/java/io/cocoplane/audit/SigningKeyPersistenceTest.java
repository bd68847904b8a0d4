package io.cocoplane.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.NoteSigner;
import io.cocoplane.transparencylog.NoteVerifier;

/**
 * The checkpoint key outlives the process: a new application context on the same database (or the same key file)
 * serves the same public key, and checkpoints signed before the restart verify with it.
 */
@TestInfra(schema = "audit")
class SigningKeyPersistenceTest {

    private static ConfigurableApplicationContext start(String... properties) {
        return new SpringApplicationBuilder(AuditApplication.class).properties(properties).run();
    }

    private static String get(ConfigurableApplicationContext ctx, String path) throws Exception {
        String port = ctx.getEnvironment().getProperty("local.server.port");
        try (HttpClient http = HttpClient.newHttpClient()) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
            assertThat(r.statusCode()).as(path).isEqualTo(200);
            return r.body();
        }
    }

    @Test
    void theDatabaseKeySurvivesARestart() throws Exception {
        String key1;
        String note1;
        try (ConfigurableApplicationContext first = start()) {
            key1 = get(first, "/api/v1/audit/public-key");
            note1 = await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> get(first, "/api/v1/audit/checkpoint"), n -> n != null);
        }
        try (ConfigurableApplicationContext second = start()) {
            String key2 = get(second, "/api/v1/audit/public-key");
            assertThat(key2).isEqualTo(key1);
            NoteVerifier v = NoteVerifier.parse(key2);
            assertThat(v.name()).isEqualTo(AuditProperties.DEFAULT_ORIGIN);
            // a checkpoint signed before the restart verifies with the key served after it
            Checkpoint cp = Checkpoint.verify(note1.getBytes(StandardCharsets.UTF_8), AuditProperties.DEFAULT_ORIGIN,
                    NoteLimits.DEFAULT, v);
            assertThat(cp.origin()).isEqualTo(AuditProperties.DEFAULT_ORIGIN);
            assertThat(second.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM signing_key",
                    Long.class)).isEqualTo(1);
        }
    }

    @Test
    void aConfiguredKeyFileIsGeneratedOnceThenReused(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("keys/audit-signing.pem");
        String prop = "cocoplane.audit.signing-key-file=" + file;
        String key1;
        try (ConfigurableApplicationContext first = start(prop)) {
            key1 = get(first, "/api/v1/audit/public-key");
        }
        assertThat(file).exists();
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String pem = Files.readString(file);
        assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----");
        // the file holds the key that was served, not the database one
        assertThat(NoteSigner.fromSeed(AuditProperties.DEFAULT_ORIGIN, LogSigningKey.seedOf(pem)).verifier()
                .verifierKey()).isEqualTo(key1);
        try (ConfigurableApplicationContext second = start(prop)) {
            assertThat(get(second, "/api/v1/audit/public-key")).isEqualTo(key1);
            String dbPem = second.getBean(JdbcTemplate.class).queryForObject(
                    "SELECT private_key_pem FROM signing_key WHERE id = 1", String.class);
            assertThat(dbPem).isNotEqualTo(pem);
        }
        assertThat(Files.readString(file)).isEqualTo(pem);
    }
}
