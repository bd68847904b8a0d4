package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The RCAR messages of note §2: member names, required members, base64 flavours, limits and typed errors. */
class RcarMessagesTest {

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static final String NONCE = "am0nIoEyA9DbDvuJGacEE6Yv53oAU3ok3MF+IoiVC8k=";
    private static final String KEY = "{\"kty\":\"EC\",\"crv\":\"P-256\",\"alg\":\"ECDH-ES+A256KW\","
            + "\"x\":\"BMRVGmlgYmSYQqJQkkRx4icz2mVZkMMi2AEVdUhC1ig\",\"y\":\"ml8MSo2X1sfG7WanQEbov9FSV-RIeonyRRwDilCJJbY\"}";

    @Test
    void requestForTeeIsTheRustClientRequest() {
        assertThat(new String(Request.forTee(Tee.TDX).toJsonBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "{\"version\":\"0.4.0\",\"tee\":\"tdx\",\"extra-params\":{\"supported-hash-algorithms\":"
                        + "[\"sha256\",\"sha384\",\"sha512\",\"sm3\"]}}");
    }

    @Test
    void requestParsing() {
        Request r = Request.parse(b("{\"version\":\"0.2.0\",\"tee\":\"az-snp-vtpm\",\"extra-params\":\"\",\"x\":1}"));
        assertThat(r.tee()).isEqualTo(Tee.AZ_SNP_VTPM);
        assertThat(r.isSupportedVersion()).isFalse();
        assertThat(r.extraParams().asString()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"tee\":\"snp\",\"extra-params\":{}}",
            "{\"version\":\"0.4.0\",\"extra-params\":{}}",
            "{\"version\":\"0.4.0\",\"tee\":\"snp\"}",
            "{\"version\":\"0.4\",\"tee\":\"snp\",\"extra-params\":{}}",
            "{\"version\":4,\"tee\":\"snp\",\"extra-params\":{}}",
            "{\"version\":\"0.4.0\",\"tee\":\"sev\",\"extra-params\":{}}",
            "{\"version\":\"0.4.0\",\"tee\":\"SNP\",\"extra-params\":{}}",
            "{\"version\":\"0.4.0\",\"tee\":[\"snp\",\"tdx\"],\"extra-params\":{}}",
            "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"tee\":\"tdx\",\"extra-params\":{}}",
            "[]", "null", "", "{", "{\"version\":\"0.4.0\"} trailing"})
    void badRequestsAreTypedErrors(String json) {
        assertThatThrownBy(() -> Request.parse(b(json))).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void challengeNonceIsStandardPaddedBase64() {
        Challenge c = Challenge.parse(b("{\"nonce\":\"" + NONCE + "\",\"extra-params\":\"\"}"));
        assertThat(c.nonceBytes()).isEqualTo(Base64.getDecoder().decode(NONCE));
        // url-safe or unpadded variants of a nonce are not the KBS's encoding
        assertThatThrownBy(() -> new Challenge(NONCE.replace('+', '-'), null).nonceBytes())
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> new Challenge(NONCE.replace("=", ""), null).nonceBytes())
                .isInstanceOf(InvalidMessageException.class);
        // non-canonical trailing bits ('l' instead of 'k' before '=' leaves a set bit)
        assertThatThrownBy(() -> new Challenge(NONCE.replace("8k=", "8l="), null).nonceBytes())
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void generatedChallengeHasThe44CharNonceAndEmptyExtraParams() {
        Challenge c = Challenge.generate(new java.security.SecureRandom());
        assertThat(c.nonce()).hasSize(44).endsWith("=");
        assertThat(c.nonceBytes()).hasSize(32);
        assertThat(new String(c.toJsonBytes(), StandardCharsets.UTF_8)).endsWith(",\"extra-params\":\"\"}");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"extra-params\":\"\"}", "{\"nonce\":\"\",\"extra-params\":\"\"}",
            "{\"nonce\":5,\"extra-params\":\"\"}", "{\"nonce\":\"abc\"}"})
    void badChallenges(String json) {
        assertThatThrownBy(() -> Challenge.parse(b(json))).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void attestationWithInitDataRoundTrips() {
        String json = "{\"init-data\":{\"format\":\"toml\",\"body\":\"version = \\\"0.1.0\\\"\\n\"},"
                + "\"runtime-data\":{\"nonce\":\"" + NONCE + "\",\"tee-pubkey\":" + KEY + "},"
                + "\"tee-evidence\":{\"primary_evidence\":{\"quote\":\"AA==\"},\"additional_evidence\":\"\"}}";
        Attestation a = Attestation.parse(b(json));
        assertThat(a.optionalInitData()).get().extracting(InitData::isToml).isEqualTo(true);
        assertThat(a.initData().body()).isEqualTo("version = \"0.1.0\"\n");
        assertThat(new String(a.toJsonBytes(), StandardCharsets.UTF_8)).isEqualTo(json);
    }

    @Test
    void attestationWithoutInitDataMemberIsAccepted() {
        String json = "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":" + KEY + "},"
                + "\"tee-evidence\":{\"primary_evidence\":null,\"additional_evidence\":\"{}\"}}";
        Attestation a = Attestation.parse(b(json));
        assertThat(a.initData()).isNull();
        assertThat(a.teeEvidence().additionalEvidence()).isEqualTo("{}");
        assertThat(a.teeEvidence().primaryEvidence().isNull()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}",
            "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY}}",
            "{\"runtime-data\":{\"tee-pubkey\":KEY},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}",
            "{\"runtime-data\":{\"nonce\":\"n\"},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}",
            "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY},\"tee-evidence\":{\"primary_evidence\":{}}}",
            "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":{}}}",
            "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY},\"tee-evidence\":{\"primaryEvidence\":{},\"additional_evidence\":\"\"}}",
            "{\"runtime_data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}",
            "{\"init-data\":{\"format\":\"toml\"},\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}",
            "{\"init-data\":\"toml\",\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":KEY},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}"})
    void badAttestations(String template) {
        assertThatThrownBy(() -> Attestation.parse(b(template.replace("KEY", KEY))))
                .isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void attestationWithBadKeyIsATeePubKeyError() {
        String json = "{\"runtime-data\":{\"nonce\":\"n\",\"tee-pubkey\":{\"kty\":\"AKP\",\"alg\":\"ML-KEM-768+A192KW\","
                + "\"pub\":\"AA\"}},\"tee-evidence\":{\"primary_evidence\":{},\"additional_evidence\":\"\"}}";
        assertThatThrownBy(() -> Attestation.parse(b(json))).isInstanceOf(InvalidTeePubKeyException.class)
                .hasMessageContaining("AKP");
    }

    @Test
    void sizeAndDepthLimits() {
        byte[] big = new byte[RcarJson.MAX_MESSAGE_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        assertThatThrownBy(() -> Attestation.parse(big)).isInstanceOf(InvalidMessageException.class)
                .hasMessageContaining("exceeds the limit");
        String deep = "{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":" + "[".repeat(200) + "]".repeat(200) + "}";
        assertThatThrownBy(() -> Request.parse(b(deep))).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Request.parse(null)).isInstanceOf(InvalidMessageException.class);
        String longNonce = "{\"nonce\":\"" + "A".repeat(Challenge.MAX_NONCE_CHARS + 1) + "\",\"extra-params\":\"\"}";
        assertThatThrownBy(() -> Challenge.parse(b(longNonce))).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void attestResponseTokenAndExpiry() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(b("{\"exp\":1767225900,\"iss\":\"x\"}"));
        AttestResponse r = AttestResponse.parse(b("{\"token\":\"eyJhbGciOiJFUzI1NiJ9." + payload + ".c2ln\"}"));
        assertThat(r.expiresAt()).contains(Instant.ofEpochSecond(1767225900L));
        String noExp = Base64.getUrlEncoder().withoutPadding().encodeToString(b("{\"iss\":\"x\"}"));
        assertThat(new AttestResponse("a." + noExp + ".c").expiresAt()).isEmpty();
        assertThatThrownBy(() -> AttestResponse.parse(b("{\"token\":\"not a jwt\"}")))
                .isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> AttestResponse.parse(b("{\"tok\":\"a.b.c\"}"))).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> new AttestResponse("a.b.c").expiresAt()).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void responseMembersAreUnpaddedBase64UrlWithGcmLengths() {
        String ok = "{\"protected\":\"e30\",\"encrypted_key\":\"AAAA\",\"iv\":\"AAAAAAAAAAAAAAAA\","
                + "\"ciphertext\":\"\",\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA\"}";
        Response r = Response.parse(b(ok));
        assertThat(r.aad()).isNull();
        assertThatThrownBy(() -> Response.parse(b(ok.replace("\"e30\"", "\"e30=\"")))).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Response.parse(b(ok.replace("\"AAAA\"", "\"AA+A\"")))).isInstanceOf(InvalidMessageException.class);
        assertThatThrownBy(() -> Response.parse(b(ok.replace("\"AAAAAAAAAAAAAAAA\"", "\"AAAAAAAAAAAA\""))))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("iv");
        assertThatThrownBy(() -> Response.parse(b(ok.replace("AAAAAAAAAAAAAAAAAAAAAA", "AAAA"))))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("tag");
        assertThatThrownBy(() -> Response.parse(b(ok.replace(",\"tag\":\"AAAAAAAAAAAAAAAAAAAAAA\"", ""))))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("tag");
    }

    @Test
    void errorInformation() {
        ErrorInformation e = ErrorInformation.parse(b("{\"type\":\"https://github.com/confidential-containers/kbs/"
                + "errors/PolicyDeny\",\"detail\":\"Access denied by policy\"}"));
        assertThat(e.variant()).isEqualTo("PolicyDeny");
        assertThat(e.detail()).isEqualTo("Access denied by policy");
        assertThat(ErrorInformation.of("PolicyDeny", "Access denied by policy")).isEqualTo(e);
        assertThatThrownBy(() -> ErrorInformation.parse(b("{\"type\":\"x\"}"))).isInstanceOf(InvalidMessageException.class);
    }

    @Test
    void unpairedSurrogatesAreRefusedAnywhere() {
        // serde_json refuses them and they have no UTF-8 form, so they could not be hashed or re-sent
        assertThatThrownBy(() -> Challenge.parse(b("{\"nonce\":\"a\\ud800\",\"extra-params\":\"\"}")))
                .isInstanceOf(InvalidMessageException.class).hasMessageContaining("surrogate");
        assertThatThrownBy(() -> Request.parse(b("{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":"
                + "{\"\\udc00\":1}}"))).isInstanceOf(InvalidMessageException.class);
        // a proper pair (U+1F600) is fine
        assertThat(Challenge.parse(b("{\"nonce\":\"\\ud83d\\ude00\",\"extra-params\":\"\"}")).nonce())
                .isEqualTo("\ud83d\ude00");
    }

    @Test
    void hugeExpIsClampedNotAnException() {
        String payload = Base64.getUrlEncoder().withoutPadding().encodeToString(b("{\"exp\":9223372036854775807}"));
        assertThat(new AttestResponse("a." + payload + ".c").expiresAt()).contains(Instant.ofEpochSecond(Instant.MAX.getEpochSecond()));
    }

    @Test
    void teeNamesRoundTrip() {
        for (Tee t : Tee.values()) {
            assertThat(Tee.fromWireName(t.wireName())).isSameAs(t);
        }
        assertThat(Tee.fromWireName("sampledevice")).isEqualTo(Tee.SAMPLE_DEVICE);
        assertThatThrownBy(() -> Tee.fromWireName(null)).isInstanceOf(InvalidMessageException.class);
    }
}
