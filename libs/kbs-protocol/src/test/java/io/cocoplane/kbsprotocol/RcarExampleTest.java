package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.util.Base64;

import javax.crypto.SecretKey;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.impl.AESKW;
import com.nimbusds.jose.crypto.impl.ConcatKDF;
import com.nimbusds.jose.crypto.impl.ECDH;

import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reproduces the worked exchange {@code evidence/kbs-protocol/rcar_example.synthetic.json} (MANIFEST: GEN, cross-checked
 * with python joserfc) byte for byte: message parsing, the RFC 8785 runtime-data string, its SHA-384, REPORT_DATA,
 * the sample evidence, the header rebuild, KEK/CEK and the decryption of the KBS response with the test TEE key.
 */
class RcarExampleTest {

    private static JsonNode vector;
    private static byte[] fileBytes;

    /** Per test, so each test is reported as skipped (with the reason) when shared/testdata is absent. */
    @BeforeEach
    void load() throws Exception {
        Path p = SharedTestData.require("evidence/kbs-protocol/rcar_example.synthetic.json");
        if (vector == null) {
            fileBytes = Files.readAllBytes(p);
            vector = JsonMapper.builder().build().readTree(fileBytes);
        }
    }

    private static byte[] member(String name) {
        return vector.get(name).toString().getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void messagesParseAndReserializeToTheSameJson() {
        Request request = Request.parse(member("request"));
        assertThat(request.tee()).isEqualTo(Tee.SNP);
        assertThat(request.isSupportedVersion()).isTrue();
        assertThat(request.toJson()).isEqualTo(vector.get("request"));
        // the client's default Request is exactly the one of the example
        assertThat(Request.forTee(Tee.SNP).toJson()).isEqualTo(vector.get("request"));

        Challenge challenge = Challenge.parse(member("challenge"));
        assertThat(challenge.nonceBytes()).hasSize(32);
        assertThat(challenge.selectedHashAlgorithm()).isEqualTo(HashAlgorithm.SHA384);
        assertThat(challenge.toJson()).isEqualTo(vector.get("challenge"));

        Attestation att = Attestation.parse(member("attestation"));
        assertThat(att.initData()).isNull();
        assertThat(att.runtimeData().nonce()).isEqualTo(challenge.nonce());
        assertThat(att.toJson()).isEqualTo(vector.get("attestation"));
        // compact serialization keeps the member order of the example
        assertThat(new String(att.toJsonBytes(), StandardCharsets.UTF_8))
                .isEqualTo(vector.get("attestation").toString());
    }

    @Test
    void canonicalRuntimeDataAndSha384AreReproducedByteForByte() {
        Attestation att = Attestation.parse(member("attestation"));
        String canonical = RuntimeDataHash.primaryCanonical(att.runtimeData().nonce(), att.runtimeData().teePubKey(),
                att.teeEvidence().additionalEvidence());
        assertThat(canonical).isEqualTo(vector.get("jcs_primary_runtime_data").asString());

        byte[] digest = RuntimeDataHash.primaryDigest(HashAlgorithm.SHA384, att.runtimeData(), "");
        assertThat(TestKeys.hex(digest)).isEqualTo(vector.get("sha384").asString());
        assertThat(TestKeys.hex(RuntimeDataHash.regularize(digest, 64)))
                .isEqualTo(vector.get("report_data_64").asString());
        // the sample evidence binds the digest as standard base64
        assertThat(att.teeEvidence().primaryEvidence().get("report_data").asString())
                .isEqualTo(Base64.getEncoder().encodeToString(TestKeys.hex(vector.get("sha384").asString())));
    }

    @Test
    void sampleEvidenceProviderProducesTheExampleEvidence() {
        Attestation att = Attestation.parse(member("attestation"));
        String canonical = vector.get("jcs_primary_runtime_data").asString();
        EvidenceRequest er = new EvidenceRequest(att.runtimeData().nonce(), HashAlgorithm.SHA384,
                TestKeys.hex(vector.get("sha384").asString()), canonical);
        assertThat(new SampleEvidenceProvider("1").primaryEvidence(er))
                .isEqualTo(vector.get("attestation").get("tee-evidence").get("primary_evidence"));
    }

    @Test
    void headerRebuildMatchesTheEmittedHeader() {
        Response response = Response.parse(member("response"));
        String headerJson = vector.get("protected_header_json").asString();
        assertThat(new String(response.protectedHeaderBytes(), StandardCharsets.UTF_8)).isEqualTo(headerJson);
        assertThat(JweCodec.rebuildProtectedHeader(response.protectedHeaderBytes())).isEqualTo(headerJson);
        assertThat(new String(response.toJsonBytes(), StandardCharsets.UTF_8))
                .isEqualTo(vector.get("response").toString());
    }

    @Test
    void exampleResponseDecryptsWithTheTestKey() throws Exception {
        ECPrivateKey key = (ECPrivateKey) TestKeys.pkcs8Pem(vector.get("tee_private_key_pem").asString(), "EC");
        Response response = Response.parse(member("response"));
        byte[] plain = JweCodec.defaults().decrypt(response, key);
        assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(vector.get("plaintext").asString());
    }

    @Test
    void kekAndCekMatchTheVector() throws Exception {
        ECPrivateKey key = (ECPrivateKey) TestKeys.pkcs8Pem(vector.get("tee_private_key_pem").asString(), "EC");
        Response response = Response.parse(member("response"));
        JsonNode epk = JsonMapper.builder().build().readTree(response.protectedHeaderBytes()).get("epk");
        EcTeePubKey ephemeral = new EcTeePubKey(epk.get("crv").asString(), EcTeePubKey.ALG, epk.get("x").asString(),
                epk.get("y").asString());
        SecretKey z = ECDH.deriveSharedSecret(ephemeral.toPublicKey(), key, null);
        SecretKey kek = ECDH.deriveSharedKey(new JWEHeader(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A256GCM), z,
                new ConcatKDF("SHA-256"));
        assertThat(TestKeys.hex(kek.getEncoded())).isEqualTo(vector.get("kek_hex").asString());
        SecretKey cek = AESKW.unwrapCEK(kek, Base64.getUrlDecoder().decode(response.encryptedKey()), null);
        assertThat(TestKeys.hex(cek.getEncoded())).isEqualTo(vector.get("cek_hex").asString());
    }

    @Test
    void independentNimbusPathAlsoDecryptsTheExample() throws Exception {
        ECPrivateKey key = (ECPrivateKey) TestKeys.pkcs8Pem(vector.get("tee_private_key_pem").asString(), "EC");
        Response r = Response.parse(member("response"));
        JWEObject jwe = JWEObject.parse(String.join(".", r.protectedHeader(), r.encryptedKey(), r.iv(),
                r.ciphertext(), r.tag()));
        jwe.decrypt(new ECDHDecrypter(key));
        assertThat(jwe.getPayload().toString()).isEqualTo(vector.get("plaintext").asString());
    }

    @Test
    void teePubKeyOfTheExampleMatchesThePrivateKey() throws Exception {
        ECPrivateKey key = (ECPrivateKey) TestKeys.pkcs8Pem(vector.get("tee_private_key_pem").asString(), "EC");
        TeePubKey pub = Attestation.parse(member("attestation")).runtimeData().teePubKey();
        // the public point is d·G: verify by ECDH agreement symmetry with a fresh key
        TeeKeyPair other = TeeKeyPair.generateEc("P-256");
        SecretKey a = ECDH.deriveSharedSecret(((EcTeePubKey) pub).toPublicKey(), other.privateKey(), null);
        SecretKey b = ECDH.deriveSharedSecret(((EcTeePubKey) other.teePubKey()).toPublicKey(), key, null);
        assertThat(a.getEncoded()).isEqualTo(b.getEncoded());
    }
}
