package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

class DevCredentialsTest {

    private static final Instant NOW = Instant.parse("2026-06-01T10:00:00Z");

    @TempDir
    Path dir;

    private static Clock at(Instant t) {
        return Clock.fixed(t, ZoneOffset.UTC);
    }

    private static PublicKey publicKey(Path pem, String alg) throws Exception {
        String b64 = Files.readString(pem).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(b64)));
    }

    private static String perms(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    @Test
    void firstRunGeneratesVerifiableTokensAndOwnerOnlySecrets() throws Exception {
        StackPaths paths = new StackPaths(dir.resolve("local"));
        DevCredentials c = DevCredentials.ensure(paths, "http://127.0.0.1:8080", at(NOW));

        assertThat(c.generated()).contains("tokens/admin.jwt", "tokens/deployer.jwt", "tokens/auditor.jwt",
                "tokens/kbs-admin.jwt", "keys/gateway-jwt.key.pem", "keys/registry-token.jwk.json",
                "keys/keybroker-master-k1.key", "credentials.env");
        assertThat(perms(paths.keys())).isEqualTo("rwx------");
        assertThat(perms(paths.tokens())).isEqualTo("rwx------");
        for (Path secret : List.of(c.token("admin"), c.token("kbs-admin"), paths.keys().resolve("gateway-jwt.key.pem"),
                paths.keys().resolve("gateway-admin.key.pem"), paths.keys().resolve("registry-token.jwk.json"),
                c.keybrokerMasterKey(), paths.credentials(), paths.keys().resolve("kata-node-registry.password"))) {
            assertThat(perms(secret)).as(secret.toString()).isEqualTo("rw-------");
        }

        RSAPublicKey gatewayKey = (RSAPublicKey) publicKey(c.gatewayJwtPublicKey(), "RSA");
        for (String role : DevCredentials.ROLES) {
            SignedJWT jwt = SignedJWT.parse(Files.readString(c.token(role)).strip());
            assertThat(jwt.verify(new RSASSAVerifier(gatewayKey))).as(role).isTrue();
            JWTClaimsSet claims = jwt.getJWTClaimsSet();
            assertThat(claims.getStringListClaim("roles")).containsExactly(role);
            assertThat(claims.getSubject()).isEqualTo("local-" + role);
            assertThat(claims.getIssuer()).isEqualTo(DevCredentials.TOKEN_ISSUER);
            assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plus(DevCredentials.TOKEN_LIFETIME));
        }

        SignedJWT kbs = SignedJWT.parse(Files.readString(c.token("kbs-admin")).strip());
        assertThat(kbs.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
        Signature ed = Signature.getInstance("Ed25519");
        ed.initVerify(publicKey(c.kbsAdminPublicKey(), "Ed25519"));
        ed.update(kbs.getSigningInput());
        assertThat(ed.verify(kbs.getSignature().decode())).isTrue();
        assertThat(kbs.getJWTClaimsSet().getStringClaim("role")).isEqualTo("admin");
        assertThat(kbs.getJWTClaimsSet().getIssuer()).isEqualTo(DevCredentials.KBS_ADMIN_ISSUER);

        Map<String, String> env = DevCredentials.readEnv(Files.readString(paths.credentials()));
        assertThat(env).containsEntry("COCOPLANE_REGISTRY_USER", DevCredentials.REGISTRY_USER)
                .containsEntry("COCOPLANE_REGISTRY_PASSWORD", c.registryPassword())
                .containsEntry("COCOPLANE_GATEWAY", "http://127.0.0.1:8080");
        assertThat(c.registryPasswordHash()).startsWith("$2b$10$");
        assertThat(OpenBSDBCrypt.checkPassword(c.registryPasswordHash(), c.registryPassword().toCharArray()))
                .isTrue();
        assertThat(OpenBSDBCrypt.checkPassword(c.registryPasswordHash(), "wrong".toCharArray())).isFalse();

        assertThat(Base64.getDecoder().decode(Files.readString(c.keybrokerMasterKey()).strip())).hasSize(32);

        assertThat(c.kataNodePassword()).isNotEqualTo(c.registryPassword())
                .isEqualTo(Files.readString(paths.keys().resolve("kata-node-registry.password")).strip());
        assertThat(OpenBSDBCrypt.checkPassword(c.kataNodePasswordHash(), c.kataNodePassword().toCharArray())).isTrue();
    }

    @Test
    void registryAndGatewayAdminKeysMatchTheirPublicHalves() throws Exception {
        StackPaths paths = new StackPaths(dir);
        DevCredentials c = DevCredentials.ensure(paths, "http://127.0.0.1:8080", at(NOW));

        ECKey signing = ECKey.parse(c.registryTokenPrivateJwk());
        assertThat(signing.isPrivate()).isTrue();
        JWKSet published = JWKSet.load(c.registryTokenJwks().toFile());
        assertThat(published.getKeys()).hasSize(1).allMatch(k -> !k.isPrivate());
        assertThat(published.getKeys().get(0).getKeyID()).isEqualTo(signing.getKeyID());
        // a signature made with the private JWK verifies under the published set, as the registry checks it
        com.nimbusds.jose.JWSObject probe = new com.nimbusds.jose.JWSObject(
                new com.nimbusds.jose.JWSHeader(com.nimbusds.jose.JWSAlgorithm.ES256),
                new com.nimbusds.jose.Payload("probe"));
        probe.sign(new com.nimbusds.jose.crypto.ECDSASigner(signing));
        assertThat(probe.verify(new ECDSAVerifier((ECKey) published.getKeys().get(0)))).isTrue();

        OctetKeyPair admin = OctetKeyPair.parse(c.gatewayAdminPrivateJwk());
        assertThat(admin.isPrivate()).isTrue();
        byte[] spki = publicKey(c.gatewayAdminPublicKey(), "Ed25519").getEncoded();
        assertThat(admin.getDecodedX()).isEqualTo(java.util.Arrays.copyOfRange(spki, spki.length - 32,
                spki.length));
    }

    @Test
    void laterRunsReuseEverythingUntilATokenNearsItsExpiry() throws Exception {
        StackPaths paths = new StackPaths(dir);
        DevCredentials first = DevCredentials.ensure(paths, "http://127.0.0.1:8080", at(NOW));
        String deployer = Files.readString(first.token("deployer"));
        String key = Files.readString(paths.keys().resolve("gateway-jwt.key.pem"));

        DevCredentials second = DevCredentials.ensure(paths, "http://127.0.0.1:18080", at(NOW.plus(Duration.ofDays(1))));
        assertThat(second.generated()).isEmpty();
        assertThat(Files.readString(second.token("deployer"))).isEqualTo(deployer);
        assertThat(second.registryPassword()).isEqualTo(first.registryPassword());
        assertThat(second.kataNodePassword()).isEqualTo(first.kataNodePassword());
        assertThat(DevCredentials.readEnv(Files.readString(paths.credentials())))
                .containsEntry("COCOPLANE_GATEWAY", "http://127.0.0.1:18080");

        Instant late = NOW.plus(DevCredentials.TOKEN_LIFETIME).minus(DevCredentials.RENEW_BEFORE).plusSeconds(1);
        DevCredentials third = DevCredentials.ensure(paths, "http://127.0.0.1:8080", at(late));
        assertThat(third.generated()).containsExactlyInAnyOrder("tokens/admin.jwt", "tokens/deployer.jwt",
                "tokens/auditor.jwt", "tokens/kbs-admin.jwt");
        assertThat(Files.readString(paths.keys().resolve("gateway-jwt.key.pem"))).isEqualTo(key);
        assertThat(SignedJWT.parse(Files.readString(third.token("deployer")).strip()).getJWTClaimsSet()
                .getExpirationTime().toInstant()).isEqualTo(late.plus(DevCredentials.TOKEN_LIFETIME));
    }

    @Test
    void aDamagedKeyIsReplacedAndItsTokensReminted() throws Exception {
        StackPaths paths = new StackPaths(dir);
        DevCredentials first = DevCredentials.ensure(paths, "http://127.0.0.1:8080", at(NOW));
        String before = Files.readString(first.token("admin"));
        Files.writeString(paths.keys().resolve("gateway-jwt.key.pem"), "not a key");

        DevCredentials second = DevCredentials.ensure(paths, "http://127.0.0.1:8080", at(NOW));
        assertThat(second.generated()).contains("keys/gateway-jwt.key.pem", "tokens/admin.jwt")
                .doesNotContain("tokens/kbs-admin.jwt");
        String after = Files.readString(second.token("admin"));
        assertThat(after).isNotEqualTo(before);
        assertThat(SignedJWT.parse(after.strip()).verify(new RSASSAVerifier(
                (RSAPublicKey) publicKey(second.gatewayJwtPublicKey(), "RSA")))).isTrue();
    }

    @Test
    void envFilesIgnoreCommentsAndBlankLines() {
        assertThat(DevCredentials.readEnv("# c\n\nA=1\n B = two words \nnoequals\n=x\n"))
                .containsExactly(Map.entry("A", "1"), Map.entry("B", "two words"));
        assertThat(DevCredentials.readEnv(null)).isEmpty();
    }
}
