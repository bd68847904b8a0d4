package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.attestation.core.AttestationRequest;
import io.cocoplane.attestation.core.EvidenceAppraiser;
import io.cocoplane.attestation.core.VerificationRefusedException;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.teeevidence.EvidenceVerifiers;
import io.cocoplane.teeevidence.Tee;
import tools.jackson.databind.JsonNode;

/**
 * The sample TEE is refused unless {@code cocoplane.attestation.sample-tee.enabled=true}: the verifier set built by the
 * configuration has no sample verifier by default, and the same valid sample request that passes when enabled is
 * refused with {@code tee_not_enabled} otherwise.
 */
class SampleTeeConfigurationTest {

    static EvidenceVerifiers verifiers(boolean sample) {
        return EvidenceVerifierConfiguration.build(TestSupport.properties("sample-tee.enabled=" + sample),
                java.time.Clock.systemUTC());
    }

    static AttestationRequest validSampleRequest() {
        return AttestationRequest.parse(validSampleRequestBody());
    }

    static byte[] validSampleRequestBody() {
        JsonNode rd = TestSupport.JSON.valueToTree(Map.of("nonce", "n", "tee-pubkey", Map.of("kty", "EC")));
        byte[] digest = RuntimeDataHash.digest(HashAlgorithm.SHA384, RuntimeDataHash.canonicalize(rd));
        byte[] evidence = TestSupport.JSON.writeValueAsBytes(Map.of("svn", "1",
                "report_data", Base64.getEncoder().encodeToString(digest)));
        String body = TestSupport.JSON.writeValueAsString(Map.of("verification_requests", List.of(Map.of(
                "tee", "sample", "evidence", TestSupport.b64url(evidence), "runtime_data", Map.of("structured", rd)))));
        return body.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void sampleIsAbsentByDefaultAndPresentOnlyWhenEnabled() {
        EvidenceVerifiers off = verifiers(false);
        assertThat(off.forTee(Tee.SAMPLE)).isEmpty();
        assertThat(off.forTee(Tee.SNP)).isPresent();
        assertThat(off.forTee(Tee.TDX)).isPresent();
        assertThat(verifiers(true).forTee(Tee.SAMPLE)).isPresent();
    }

    @Test
    void aValidSampleRequestIsRefusedWhenSampleIsNotEnabled() throws Exception {
        AttestationRequest request = validSampleRequest();
        EvidenceAppraiser.Verified ok = new EvidenceAppraiser(verifiers(true)).verify(request);
        assertThat(ok.claims().tee()).isEqualTo(Tee.SAMPLE);
        assertThatThrownBy(() -> new EvidenceAppraiser(verifiers(false)).verify(request))
                .isInstanceOfSatisfying(VerificationRefusedException.class, e ->
                        assertThat(e.check()).isEqualTo(VerificationRefusedException.TEE_NOT_ENABLED));
    }
}
