package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.json.JsonMapper;

/** The {@code tee-pubkey} JWK formats of note §2.3: parsing, serialization order, and refusals. */
class TeePubKeyTest {

    private static final JsonMapper M = JsonMapper.builder().build();
    private static final String X = "BMRVGmlgYmSYQqJQkkRx4icz2mVZkMMi2AEVdUhC1ig";
    private static final String Y = "ml8MSo2X1sfG7WanQEbov9FSV-RIeonyRRwDilCJJbY";

    private static TeePubKey parse(String json) {
        return TeePubKey.fromJson(M.readTree(json));
    }

    @Test
    void ecKeyParsesAndSerializesInKbsTypesOrder() {
        TeePubKey k = parse("{\"y\":\"" + Y + "\",\"x\":\"" + X + "\",\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\","
                + "\"kty\":\"EC\",\"kid\":\"dropped\"}");
        assertThat(k).isEqualTo(new EcTeePubKey("P-256", "ECDH-ES+A256KW", X, Y));
        assertThat(k.toJson().toString()).isEqualTo("{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\","
                + "\"x\":\"" + X + "\",\"y\":\"" + Y + "\"}");
    }

    @Test
    void jcaKeysRoundTripWithFixedLengthCoordinates() throws Exception {
        for (String[] c : new String[][] {{"secp256r1", "P-256", "43"}, {"secp521r1", "P-521", "88"}}) {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec(c[0]));
            for (int i = 0; i < 8; i++) {
                ECPublicKey pub = (ECPublicKey) g.generateKeyPair().getPublic();
                EcTeePubKey k = EcTeePubKey.of(pub);
                assertThat(k.crv()).isEqualTo(c[1]);
                assertThat(k.x()).hasSize(Integer.parseInt(c[2]));
                assertThat(k.y()).hasSize(Integer.parseInt(c[2]));
                assertThat(k.toPublicKey().getW()).isEqualTo(pub.getW());
            }
        }
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(2048);
        RSAPublicKey rsa = (RSAPublicKey) r.generateKeyPair().getPublic();
        RsaTeePubKey k = RsaTeePubKey.of(rsa, RsaTeePubKey.RSA_OAEP_256);
        assertThat(k.e()).isEqualTo("AQAB");
        assertThat(k.n()).hasSize(342); // 256 bytes, no leading zero
        assertThat(k.toPublicKey().getModulus()).isEqualTo(rsa.getModulus());
        assertThat(parse(k.toJson().toString())).isEqualTo(k);
        assertThat(k.toJson().toString()).startsWith("{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP-256\",\"n\":");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"kty\":\"EC\",\"crv\":\"P-384\",\"alg\":\"ECDH-ES+A256KW\",\"x\":\"X\",\"y\":\"Y\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES\",\"x\":\"X\",\"y\":\"Y\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"x\":\"X\",\"y\":\"Y\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\",\"x\":\"X=\",\"y\":\"Y\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\",\"x\":\"AAAA\",\"y\":\"Y\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\",\"x\":\"Y\",\"y\":\"X\"}",
            "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\",\"x\":1,\"y\":\"Y\"}",
            "{\"kty\":\"OKP\",\"crv\":\"X25519\",\"x\":\"X\"}",
            "{\"kty\":\"AKP\",\"alg\":\"ML-KEM-768+A192KW\",\"pub\":\"AA\"}",
            "{\"crv\":\"P-256\"}", "[]", "\"EC\"",
            "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP-256\",\"n\":\"AQAB\",\"e\":\"AQAB\"}",
            "{\"kty\":\"RSA\",\"alg\":\"RSA-OAEP-256\",\"e\":\"AQAB\"}"})
    void invalidKeysAreTypedErrors(String template) {
        String json = template.replace("\"X\"", "\"" + X + "\"").replace("\"Y\"", "\"" + Y + "\"");
        assertThatThrownBy(() -> parse(json)).isInstanceOf(InvalidTeePubKeyException.class);
    }

    @Test
    void offCurvePointRefused() {
        String one = "A".repeat(42) + "E";
        assertThatThrownBy(() -> new EcTeePubKey("P-256", EcTeePubKey.ALG, one, one))
                .isInstanceOf(InvalidTeePubKeyException.class).hasMessageContaining("not on P-256");
    }

    @Test
    void rsaLimits() throws Exception {
        KeyPairGenerator r = KeyPairGenerator.getInstance("RSA");
        r.initialize(1024);
        RSAPublicKey small = (RSAPublicKey) r.generateKeyPair().getPublic();
        assertThatThrownBy(() -> RsaTeePubKey.of(small, RsaTeePubKey.RSA_OAEP_256))
                .isInstanceOf(InvalidTeePubKeyException.class).hasMessageContaining("1024");
        assertThatThrownBy(() -> TeeKeyPair.generateRsa("RSA-OAEP")).isInstanceOf(InvalidTeePubKeyException.class);
        assertThatThrownBy(() -> TeeKeyPair.generateEc("P-384")).isInstanceOf(InvalidTeePubKeyException.class);
    }
}
