package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.json.JsonMapper;

/**
 * Note §4.1: the upstream JCS vector of trustee's attestation-service tests, the protocol vector (always runs: inputs
 * and expected values are the literals printed in the note), the device form, hash selection and report-data
 * regularization.
 */
class RuntimeDataHashTest {

    private static final String NONCE = "am0nIoEyA9DbDvuJGacEE6Yv53oAU3ok3MF+IoiVC8k=";
    private static final EcTeePubKey KEY = new EcTeePubKey("P-256", "ECDH-ES+A256KW",
            "BMRVGmlgYmSYQqJQkkRx4icz2mVZkMMi2AEVdUhC1ig", "ml8MSo2X1sfG7WanQEbov9FSV-RIeonyRRwDilCJJbY");
    private static final String PROTOCOL_CANONICAL = "{\"additional-evidence\":\"\",\"nonce\":\"am0nIoEyA9DbDvuJGacEE6Yv53oAU3ok3MF+IoiVC8k=\",\"tee-pubkey\":{\"alg\":\"ECDH-ES+A256KW\",\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"BMRVGmlgYmSYQqJQkkRx4icz2mVZkMMi2AEVdUhC1ig\",\"y\":\"ml8MSo2X1sfG7WanQEbov9FSV-RIeonyRRwDilCJJbY\"}}";

    @Test
    void upstreamJcsVector() {
        String canonical = RuntimeDataHash.canonicalize(JsonMapper.builder().build()
                .readTree("{\"b\":1,\"a\":\"test\",\"c\":{\"d\":\"e\"}}"));
        assertThat(canonical).isEqualTo("{\"a\":\"test\",\"b\":1,\"c\":{\"d\":\"e\"}}");
        assertThat(TestKeys.hex(RuntimeDataHash.digest(HashAlgorithm.SHA384, canonical))).isEqualTo(
                "e71ce8e70d814ba6639c3612ebee0ff1f76f650f8dbb5e47157e0f3f525cd22c4597480a186427c813ca941da78870c3");
    }

    @Test
    void protocolVector() {
        String canonical = RuntimeDataHash.primaryCanonical(NONCE, KEY, "");
        assertThat(canonical).isEqualTo(PROTOCOL_CANONICAL);
        assertThat(TestKeys.hex(RuntimeDataHash.primaryDigest(HashAlgorithm.SHA384, new RuntimeData(NONCE, KEY), "")))
                .isEqualTo("cf696e067cb19ab4cd6ed6d185a432a3a5d01e35152cd26b87b51a6744b2aefbae41b9e305c698506c4bace4c9fff6b4");
    }

    @Test
    void unknownJwkMembersNeverEnterTheHash() {
        TeePubKey parsed = TeePubKey.fromJson(JsonMapper.builder().build().readTree(
                "{\"kty\":\"EC\",\"kid\":\"extra\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\",\"use\":\"enc\","
                        + "\"x\":\"BMRVGmlgYmSYQqJQkkRx4icz2mVZkMMi2AEVdUhC1ig\","
                        + "\"y\":\"ml8MSo2X1sfG7WanQEbov9FSV-RIeonyRRwDilCJJbY\"}"));
        assertThat(RuntimeDataHash.primaryCanonical(NONCE, parsed, "")).isEqualTo(PROTOCOL_CANONICAL);
    }

    @Test
    void deviceFormOmitsAdditionalEvidence() {
        String expected = PROTOCOL_CANONICAL.replace("\"additional-evidence\":\"\",", "");
        assertThat(RuntimeDataHash.deviceCanonical(NONCE, KEY)).isEqualTo(expected);
    }

    @Test
    void additionalEvidenceStringIsHashedVerbatimAndEscaped() {
        String additional = "{\"nvidia\":{\"q\":\"a\\u0001\"}}";
        String canonical = RuntimeDataHash.primaryCanonical(NONCE, KEY, additional);
        assertThat(canonical).startsWith("{\"additional-evidence\":\"{\\\"nvidia\\\":{\\\"q\\\":\\\"a\\\\u0001\\\"}}\",");
    }

    @Test
    void otherHashesMatchTheJdkAndSm3KnownAnswer() throws Exception {
        byte[] utf8 = PROTOCOL_CANONICAL.getBytes(StandardCharsets.UTF_8);
        assertThat(RuntimeDataHash.digest(HashAlgorithm.SHA256, PROTOCOL_CANONICAL))
                .isEqualTo(MessageDigest.getInstance("SHA-256").digest(utf8));
        assertThat(RuntimeDataHash.digest(HashAlgorithm.SHA512, PROTOCOL_CANONICAL))
                .isEqualTo(MessageDigest.getInstance("SHA-512").digest(utf8));
        // GB/T 32905-2016 Appendix A.1 example: SM3("abc")
        assertThat(TestKeys.hex(HashAlgorithm.SM3.digest("abc".getBytes(StandardCharsets.US_ASCII))))
                .isEqualTo("66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }

    @Test
    void hashSelectionFollowsTheChallenge() {
        JsonMapper m = JsonMapper.builder().build();
        assertThat(new Challenge(NONCE, m.readTree("\"\"")).selectedHashAlgorithm()).isEqualTo(HashAlgorithm.SHA384);
        assertThat(new Challenge(NONCE, m.readTree("{\"selected-hash-algorithm\":\"SHA512\"}"))
                .selectedHashAlgorithm()).isEqualTo(HashAlgorithm.SHA512);
        assertThatThrownBy(() -> new Challenge(NONCE, m.readTree("{\"selected-hash-algorithm\":\"md5\"}"))
                .selectedHashAlgorithm()).isInstanceOf(InvalidMessageException.class);
        assertThat(Tee.SE.kbsRuntimeDataHash()).isEqualTo(HashAlgorithm.SHA512);
        assertThat(Tee.TDX.kbsRuntimeDataHash()).isEqualTo(HashAlgorithm.SHA384);
    }

    @Test
    void regularizePadsAndTruncates() {
        byte[] d = {1, 2, 3};
        assertThat(RuntimeDataHash.regularize(d, 5)).containsExactly(1, 2, 3, 0, 0);
        assertThat(RuntimeDataHash.regularize(d, 2)).containsExactly(1, 2);
        assertThatThrownBy(() -> RuntimeDataHash.regularize(d, 0)).isInstanceOf(InvalidMessageException.class);
    }
}
