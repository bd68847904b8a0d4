package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.errorCode;
import static io.cocoplane.registry.OciHttp.header;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Date;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import io.cocoplane.eventing.test.TestInfra;

/**
 * Docker token authentication (registry note §2) with an ES256 JWK set configured inline: 401 challenges with realm,
 * service and the exact scope; tokens checked for signature, issuer, audience, expiry and the {@code access} claim;
 * {@code insufficient_scope} for a missing action; anonymous pull off by default; the read API behind the same tokens.
 */
@TestInfra(schema = "registry")
@SpringBootTest(classes = RegistryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "cocoplane.registry.auth.realm=https://gateway.test/token",
            "cocoplane.registry.auth.service=test-registry",
            "cocoplane.registry.auth.issuer=test-gateway",
            "cocoplane.registry.storage.fsync=false"
        })
class AuthTest {

    static final ECKey KEY = generate();
    static final ECKey OTHER = generate();
    static final String REPO = "auth/repo";

    @DynamicPropertySource
    static void props(DynamicPropertyRegistry r) throws Exception {
        r.add("cocoplane.registry.auth.jwks", () -> new JWKSet(KEY.toPublicJWK()).toString());
        r.add("cocoplane.registry.storage.root", Files.createTempDirectory("registry-auth-")::toString);
    }

    @LocalServerPort
    int port;

    static ECKey generate() {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(java.util.UUID.randomUUID().toString()).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(ECKey key, String issuer, String audience, long expiresInSeconds, Object access) {
        try {
            JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject("alice")
                    .expirationTime(new Date(System.currentTimeMillis() + expiresInSeconds * 1000))
                    .issueTime(new Date()).claim("access", access).build();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID()).build(),
                    claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
    }

    static String token(String type, String name, String... actions) {
        return token(KEY, "test-gateway", "test-registry", 300,
                List.of(Map.of("type", type, "name", name, "actions", List.of(actions))));
    }

    OciHttp anonymous() {
        return new OciHttp("http://127.0.0.1:" + port);
    }

    @Test
    void withoutATokenEveryEndpointChallengesWithRealmServiceAndScope() {
        var base = anonymous().get("/v2/");
        assertThat(base.statusCode()).isEqualTo(401);
        assertThat(header(base, "WWW-Authenticate"))
                .isEqualTo("Bearer realm=\"https://gateway.test/token\",service=\"test-registry\"");
        assertThat(errorCode(base)).isEqualTo("UNAUTHORIZED");

        var pull = anonymous().get("/v2/" + REPO + "/manifests/latest");
        assertThat(pull.statusCode()).isEqualTo(401);
        assertThat(header(pull, "WWW-Authenticate")).isEqualTo("Bearer realm=\"https://gateway.test/token\","
                + "service=\"test-registry\",scope=\"repository:" + REPO + ":pull\"");

        var push = anonymous().send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        assertThat(header(push, "WWW-Authenticate")).contains("scope=\"repository:" + REPO + ":pull,push\"");
        var catalog = anonymous().get("/v2/_catalog");
        assertThat(header(catalog, "WWW-Authenticate")).contains("scope=\"registry:catalog:*\"");
        var api = anonymous().get("/api/v1/images");
        assertThat(api.statusCode()).isEqualTo(401);
        assertThat(header(api, "Content-Type")).startsWith("application/problem+json");
    }

    @Test
    void aValidTokenGrantsExactlyItsActions() {
        OciHttp pushPull = anonymous().withToken(token("repository", REPO, "pull", "push"));
        assertThat(pushPull.get("/v2/").statusCode()).isEqualTo(200);
        byte[] blob = "authenticated blob".getBytes(StandardCharsets.UTF_8);
        String digest = pushPull.pushBlob(REPO, blob);
        assertThat(pushPull.get("/v2/" + REPO + "/blobs/" + digest).body()).isEqualTo(blob);

        OciHttp pullOnly = anonymous().withToken(token("repository", REPO, "pull"));
        assertThat(pullOnly.get("/v2/" + REPO + "/blobs/" + digest).statusCode()).isEqualTo(200);
        var refused = pullOnly.send("POST", "/v2/" + REPO + "/blobs/uploads/", null);
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(header(refused, "WWW-Authenticate")).contains("scope=\"repository:" + REPO + ":pull,push\"")
                .contains("error=\"insufficient_scope\"");
        assertThat(pullOnly.send("DELETE", "/v2/" + REPO + "/blobs/" + digest, null).statusCode()).isEqualTo(401);
        assertThat(pullOnly.get("/v2/other/repo/blobs/" + digest).statusCode()).isEqualTo(401);

        OciHttp deleter = anonymous().withToken(token("repository", REPO, "delete"));
        assertThat(deleter.send("DELETE", "/v2/" + REPO + "/blobs/" + digest, null).statusCode()).isEqualTo(202);

        OciHttp star = anonymous().withToken(token("repository", REPO, "*"));
        assertThat(star.get("/v2/" + REPO + "/tags/list").statusCode()).isEqualTo(200);
        OciHttp catalog = anonymous().withToken(token("registry", "catalog", "*"));
        assertThat(catalog.get("/v2/_catalog").statusCode()).isEqualTo(200);
        assertThat(catalog.get("/api/v1/images").statusCode()).isEqualTo(200);
    }

    @Test
    void badTokensAreRefusedAsInvalid() throws Exception {
        var access = List.of(Map.of("type", "repository", "name", REPO, "actions", List.of("pull")));
        PlainJWT unsigned = new PlainJWT(new JWTClaimsSet.Builder().issuer("test-gateway").audience("test-registry")
                .expirationTime(new Date(System.currentTimeMillis() + 60_000)).claim("access", access).build());
        for (String bad : List.of(
                token(KEY, "test-gateway", "test-registry", -600, access),
                token(KEY, "someone-else", "test-registry", 300, access),
                token(KEY, "test-gateway", "another-registry", 300, access),
                token(OTHER, "test-gateway", "test-registry", 300, access),
                unsigned.serialize(),
                "not.a.jwt",
                "x".repeat(15_000))) {
            var r = anonymous().withToken(bad).get("/v2/" + REPO + "/tags/list");
            assertThat(r.statusCode()).isEqualTo(401);
            assertThat(header(r, "WWW-Authenticate")).contains("error=\"invalid_token\"");
        }
    }
}
