package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.RSADecrypter;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class JweKeyWrapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final byte[] PAYLOAD = "{\"symkey\":\"x\",\"digest\":\"\",\"cipheroptions\":{\"nonce\":\"y\"}}"
            .getBytes(StandardCharsets.UTF_8);

    private static JsonNode decode(String annotation) {
        return JSON.readTree(Base64.getDecoder().decode(annotation));
    }

    private static JsonNode protectedHeader(JsonNode jwe) {
        return JSON.readTree(Base64.getUrlDecoder().decode(jwe.get("protected").stringValue()));
    }

    @Test
    void singleRsaRecipientIsFlattenedJsonWithRsaOaep() throws Exception {
        String ann = JweKeyWrapper.wrap(PAYLOAD, List.of(JweRecipient.of(TestKeys.RSA.getPublic())));
        JsonNode jwe = decode(ann);
        assertThat(jwe.has("recipients")).isFalse();
        assertThat(jwe.properties().stream().map(java.util.Map.Entry::getKey).toList())
                .containsExactly("protected", "encrypted_key", "iv", "ciphertext", "tag");
        JsonNode h = protectedHeader(jwe);
        assertThat(h.get("alg").stringValue()).isEqualTo("RSA-OAEP");
        assertThat(h.get("enc").stringValue()).isEqualTo("A256GCM");
        assertThat(Base64.getUrlDecoder().decode(jwe.get("iv").stringValue())).hasSize(12);
        assertThat(Base64.getUrlDecoder().decode(jwe.get("tag").stringValue())).hasSize(16);

        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.RSA.getPrivate()))).isEqualTo(PAYLOAD);

        // Independent path: nimbus' own compact-form decryption of the same parts.
        String compact = jwe.get("protected").stringValue() + "." + jwe.get("encrypted_key").stringValue() + "."
                + jwe.get("iv").stringValue() + "." + jwe.get("ciphertext").stringValue() + "."
                + jwe.get("tag").stringValue();
        JWEObject parsed = JWEObject.parse(compact);
        parsed.decrypt(new RSADecrypter(TestKeys.RSA.getPrivate()));
        assertThat(parsed.getPayload().toBytes()).isEqualTo(PAYLOAD);
    }

    @Test
    void singleEcRecipientCarriesEpkInTheProtectedHeader() throws Exception {
        String ann = JweKeyWrapper.wrap(PAYLOAD, List.of(JweRecipient.of(TestKeys.EC.getPublic())));
        JsonNode jwe = decode(ann);
        JsonNode h = protectedHeader(jwe);
        assertThat(h.get("alg").stringValue()).isEqualTo("ECDH-ES+A256KW");
        assertThat(h.get("epk").get("crv").stringValue()).isEqualTo("P-256");
        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.EC.getPrivate()))).isEqualTo(PAYLOAD);

        String compact = String.join(".", jwe.get("protected").stringValue(), jwe.get("encrypted_key").stringValue(),
                jwe.get("iv").stringValue(), jwe.get("ciphertext").stringValue(), jwe.get("tag").stringValue());
        JWEObject parsed = JWEObject.parse(compact);
        parsed.decrypt(new ECDHDecrypter((ECPrivateKey) TestKeys.EC.getPrivate()));
        assertThat(parsed.getPayload().toBytes()).isEqualTo(PAYLOAD);
    }

    @Test
    void rsaAndEcRecipientsGiveGeneralJsonLikeGoJose() throws Exception {
        String ann = JweKeyWrapper.wrap(PAYLOAD,
                List.of(JweRecipient.of(TestKeys.RSA.getPublic()), JweRecipient.of(TestKeys.EC.getPublic())));
        JsonNode jwe = decode(ann);
        assertThat(new String(Base64.getUrlDecoder().decode(jwe.get("protected").stringValue()),
                StandardCharsets.UTF_8)).isEqualTo("{\"enc\":\"A256GCM\"}");
        JsonNode recipients = jwe.get("recipients");
        assertThat(recipients.size()).isEqualTo(2);
        assertThat(recipients.get(0).get("header").get("alg").stringValue()).isEqualTo("RSA-OAEP");
        assertThat(recipients.get(0).get("header").has("epk")).isFalse();
        assertThat(recipients.get(1).get("header").get("alg").stringValue()).isEqualTo("ECDH-ES+A256KW");
        assertThat(recipients.get(1).get("header").get("epk").get("kty").stringValue()).isEqualTo("EC");
        assertThat(jwe.get("encrypted_key").stringValue())
                .isEqualTo(recipients.get(0).get("encrypted_key").stringValue());

        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.RSA.getPrivate()))).isEqualTo(PAYLOAD);
        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.EC.getPrivate()))).isEqualTo(PAYLOAD);
        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.EC_OTHER.getPrivate(), TestKeys.EC.getPrivate())))
                .isEqualTo(PAYLOAD);
        assertThat(JweKeyWrapper.recipientAlgorithms(ann)).containsExactly("RSA-OAEP", "ECDH-ES+A256KW");
    }

    @Test
    void recipientsWithIdenticalHeadersAreEachTriedWithTheirOwnKey() throws Exception {
        // two RSA recipients share the header {"alg":"RSA-OAEP"}; the second one must still be reachable
        String ann = JweKeyWrapper.wrap(PAYLOAD, List.of(JweRecipient.of(TestKeys.RSA.getPublic()),
                JweRecipient.of(TestKeys.RSA_OTHER.getPublic())));
        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.RSA_OTHER.getPrivate()))).isEqualTo(PAYLOAD);
    }

    @Test
    void rsaOaep256IsWrappedAndUnwrapped() throws Exception {
        String ann = JweKeyWrapper.wrap(PAYLOAD,
                List.of(new JweRecipient(TestKeys.RSA.getPublic(), JweRecipient.Algorithm.RSA_OAEP_256)));
        assertThat(protectedHeader(decode(ann)).get("alg").stringValue()).isEqualTo("RSA-OAEP-256");
        assertThat(JweKeyWrapper.unwrap(ann, List.of(TestKeys.RSA.getPrivate()))).isEqualTo(PAYLOAD);
    }

    @Test
    void commaSeparatedJwesAreAllTried() throws Exception {
        String a = JweKeyWrapper.wrap(PAYLOAD, List.of(JweRecipient.of(TestKeys.RSA_OTHER.getPublic())));
        String b = JweKeyWrapper.wrap(PAYLOAD, List.of(JweRecipient.of(TestKeys.EC.getPublic())));
        assertThat(JweKeyWrapper.unwrap(a + "," + b, List.of(TestKeys.EC.getPrivate()))).isEqualTo(PAYLOAD);
    }

    @Test
    void wrongKeyIsATypedUnwrapError() throws Exception {
        String ann = JweKeyWrapper.wrap(PAYLOAD,
                List.of(JweRecipient.of(TestKeys.RSA.getPublic()), JweRecipient.of(TestKeys.EC.getPublic())));
        List<PrivateKey> wrong = List.of(TestKeys.RSA_OTHER.getPrivate(), TestKeys.EC_OTHER.getPrivate());
        assertThatThrownBy(() -> JweKeyWrapper.unwrap(ann, wrong)).isExactlyInstanceOf(KeyUnwrapException.class)
                .hasMessageContaining("none of the private keys");
    }

    @Test
    void tamperedJweCiphertextIsATypedUnwrapError() throws Exception {
        String ann = JweKeyWrapper.wrap(PAYLOAD, List.of(JweRecipient.of(TestKeys.RSA.getPublic())));
        ObjectNode jwe = (ObjectNode) decode(ann);
        byte[] ct = Base64.getUrlDecoder().decode(jwe.get("ciphertext").stringValue());
        ct[0] ^= 1;
        jwe.put("ciphertext", Base64.getUrlEncoder().withoutPadding().encodeToString(ct));
        String tampered = Base64.getEncoder().encodeToString(JSON.writeValueAsBytes(jwe));
        assertThatThrownBy(() -> JweKeyWrapper.unwrap(tampered, List.of((RSAPrivateKey) TestKeys.RSA.getPrivate())))
                .isExactlyInstanceOf(KeyUnwrapException.class);
    }

    @Test
    void malformedAnnotationsAreTyped() {
        List<PrivateKey> keys = List.of(TestKeys.RSA.getPrivate());
        String[] bad = {"", "***", b64("[]"), b64("{}"), b64("{\"protected\":\"e30\"}"),
            b64("{\"protected\":\"!!\",\"iv\":\"AA\",\"ciphertext\":\"AA\",\"tag\":\"AA\"}"),
            b64("{\"protected\":\"e30\",\"recipients\":[],\"iv\":\"AA\",\"ciphertext\":\"AA\",\"tag\":\"AA\"}"),
            b64("{\"protected\":\"e30\",\"recipients\":[1],\"iv\":\"AA\",\"ciphertext\":\"AA\",\"tag\":\"AA\"}"),
            "a,".repeat(40)};
        for (String s : bad) {
            assertThatThrownBy(() -> JweKeyWrapper.unwrap(s, keys)).as(s)
                    .isInstanceOf(MalformedAnnotationException.class);
        }
    }

    @Test
    void duplicateHeaderParameterAcrossHeadersIsRejected() {
        String prot = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("{\"alg\":\"RSA-OAEP\",\"enc\":\"A256GCM\"}".getBytes());
        String s = b64("{\"protected\":\"" + prot + "\",\"header\":{\"alg\":\"RSA-OAEP-256\"},\"iv\":\"AA\","
                + "\"ciphertext\":\"AA\",\"tag\":\"AA\"}");
        assertThatThrownBy(() -> JweKeyWrapper.unwrap(s, List.of(TestKeys.RSA.getPrivate())))
                .isInstanceOf(MalformedAnnotationException.class).hasMessageContaining("alg");
    }

    @Test
    void recipientValidation() {
        assertThatThrownBy(() -> new JweRecipient(TestKeys.EC.getPublic(), JweRecipient.Algorithm.RSA_OAEP))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> JweKeyWrapper.wrap(PAYLOAD, List.of())).isInstanceOf(MalformedAnnotationException.class);
        assertThatThrownBy(() -> JweKeyWrapper.wrap(new byte[0], List.of(JweRecipient.of(TestKeys.EC.getPublic()))))
                .isInstanceOf(MalformedAnnotationException.class);
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
