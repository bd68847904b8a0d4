package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the RCAR message parsers (note §2), the resource-path parser (§1.1) and the guest-side JWE opening (§2.4)
 * with arbitrary bytes. Properties: the only failures are this library's typed exceptions (a Jackson, JCA, nimbus,
 * index or null-pointer exception escaping is a finding); whatever parses re-serializes to a message that parses to
 * an equal value.
 *
 * <p>Plain {@code mvn verify} runs regression mode: the empty input plus the seed files under
 * {@code src/test/resources/io/cocoplane/kbsprotocol/RcarMessageFuzzTestInputs/<method>/}; {@code JAZZER_FUZZ=1}
 * fuzzes for real.
 */
class RcarMessageFuzzTest {

    private static final TeeKeyPair KEY = TeeKeyPair.generateEc();

    @FuzzTest
    void parseRequest(byte[] data) {
        try {
            Request r = Request.parse(data);
            assertThat(Request.parse(r.toJsonBytes())).isEqualTo(r);
        } catch (InvalidMessageException expected) {
            // refused input
        }
    }

    @FuzzTest
    void parseChallenge(byte[] data) {
        try {
            Challenge c = Challenge.parse(data);
            assertThat(Challenge.parse(c.toJsonBytes())).isEqualTo(c);
            c.selectedHashAlgorithm();
            c.nonceBytes();
        } catch (InvalidMessageException expected) {
            // refused input
        }
    }

    @FuzzTest
    void parseAttestation(byte[] data) {
        try {
            Attestation a = Attestation.parse(data);
            assertThat(Attestation.parse(a.toJsonBytes())).isEqualTo(a);
            String canonical = RuntimeDataHash.primaryCanonical(a.runtimeData().nonce(), a.runtimeData().teePubKey(),
                    a.teeEvidence().additionalEvidence());
            assertThat(RuntimeDataHash.digest(HashAlgorithm.SHA384, canonical)).hasSize(48);
        } catch (InvalidMessageException | InvalidTeePubKeyException expected) {
            // refused input
        }
    }

    @FuzzTest
    void parseResponseAndDecrypt(byte[] data) {
        Response r;
        try {
            r = Response.parse(data);
        } catch (InvalidMessageException expected) {
            return;
        }
        assertThat(Response.parse(r.toJsonBytes())).isEqualTo(r);
        try {
            KEY.decrypt(r, JweCodec.defaults());
        } catch (JweException | InvalidMessageException expected) {
            // a JWE not made for KEY cannot open
        }
    }

    @FuzzTest
    void parseAttestResponseAndError(byte[] data) {
        try {
            AttestResponse t = AttestResponse.parse(data);
            assertThat(AttestResponse.parse(t.toJsonBytes())).isEqualTo(t);
            t.expiresAt();
        } catch (InvalidMessageException expected) {
            // refused input
        }
        try {
            ErrorInformation e = ErrorInformation.parse(data);
            assertThat(ErrorInformation.parse(e.toJsonBytes())).isEqualTo(e);
            assertThat(e.variant()).isNotNull();
        } catch (InvalidMessageException expected) {
            // refused input
        }
    }

    @FuzzTest
    void parseResourcePath(byte[] data) {
        String s = new String(data, StandardCharsets.UTF_8);
        try {
            ResourcePath p = ResourcePath.parse(s);
            assertThat(p.toString()).isEqualTo(s);
            assertThat(s).doesNotStartWith(".").doesNotContain("/.").doesNotContain("%");
        } catch (InvalidResourcePathException expected) {
            // refused input
        }
    }

    @FuzzTest
    void rebuildProtectedHeader(byte[] data) {
        try {
            String rebuilt = JweCodec.rebuildProtectedHeader(data);
            assertThat(rebuilt).startsWith("{\"alg\":");
            // rebuilding is idempotent
            assertThat(JweCodec.rebuildProtectedHeader(rebuilt.getBytes(StandardCharsets.UTF_8))).isEqualTo(rebuilt);
        } catch (JweException expected) {
            // refused input
        }
    }
}
