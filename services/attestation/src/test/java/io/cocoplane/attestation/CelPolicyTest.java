package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cocoplane.attestation.core.CelPolicy;
import io.cocoplane.attestation.core.EarStatus;
import io.cocoplane.attestation.core.PolicyException;
import io.cocoplane.attestation.core.ReferenceValueLookup;

/** The CEL policy format: compile-time refusals, first-match rules, undefined-means-false, extensions. */
class CelPolicyTest {

    @Test
    void badDocumentsAreRefusedWithTheReason() {
        assertThatThrownBy(() -> CelPolicy.parse("not json")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("not valid JSON");
        assertThatThrownBy(() -> CelPolicy.parse("{\"rules\":[{\"claim\":\"executables\",\"value\":3,"
                + "\"when\":\"input.x ==\"}]}")).isInstanceOf(PolicyException.class)
                .hasMessageContaining("does not compile");
        assertThatThrownBy(() -> CelPolicy.parse("{\"defaults\":{\"speed\":3}}"))
                .hasMessageContaining("not an AR4SI claim");
        assertThatThrownBy(() -> CelPolicy.parse("{\"defaults\":{\"hardware\":300}}"))
                .hasMessageContaining("-128..127");
        assertThatThrownBy(() -> CelPolicy.parse("{\"surprise\":1}")).hasMessageContaining("unknown member");
        assertThatThrownBy(() -> CelPolicy.parse("{\"extensions\":[{\"name\":\"ear.status\",\"value\":\"1\"}]}"))
                .hasMessageContaining("not an allowed extension name");
        assertThatThrownBy(() -> CelPolicy.parse("{\"rules\":[{\"claim\":\"hardware\",\"value\":2,\"when\":\""
                + "x".repeat(CelPolicy.MAX_EXPRESSION_CHARS + 1) + "\"}]}")).hasMessageContaining("longer than");
    }

    @Test
    void firstMatchingRuleWinsAndFailuresDoNotHold() {
        CelPolicy p = CelPolicy.parse("""
                {"defaults":{"hardware":97},
                 "rules":[
                   {"claim":"hardware","value":2,"when":"input.tee.svn in query_reference_value('svn')"},
                   {"claim":"hardware","value":33,"when":"has(input.tee.svn)"},
                   {"claim":"executables","value":3,"when":"input.missing.member == 1"}],
                 "extensions":[{"name":"ear.example","value":"{'svn': input.tee.svn}"},
                               {"name":"ear.fallback","value":"input.nothing","otherwise":{"none":true}},
                               {"name":"ear.dropped","value":"input.nothing"}]}
                """);
        Map<String, Object> input = Map.of("tee", Map.of("svn", 7L));
        CelPolicy.Appraisal withRv = p.evaluate(input, n -> Optional.of(List.of(7L)));
        assertThat(withRv.trustVector().get("hardware")).isEqualTo(2);
        assertThat(withRv.trustVector().get("executables")).isZero();
        assertThat(withRv.status()).isEqualTo(EarStatus.AFFIRMING);
        assertThat(withRv.extensions()).containsEntry("ear.example", Map.of("svn", 7L))
                .containsEntry("ear.fallback", Map.of("none", true)).doesNotContainKey("ear.dropped");
        // an absent reference value makes the first rule undefined, so the second applies
        CelPolicy.Appraisal without = p.evaluate(input, ReferenceValueLookup.empty());
        assertThat(without.trustVector().get("hardware")).isEqualTo(33);
        assertThat(without.status()).isEqualTo(EarStatus.WARNING);
    }

    @Test
    void tiersFollowTheEarThresholds() {
        assertThat(EarStatus.tierOf(0)).isEqualTo(EarStatus.NONE);
        assertThat(EarStatus.tierOf(-1)).isEqualTo(EarStatus.NONE);
        assertThat(EarStatus.tierOf(2)).isEqualTo(EarStatus.AFFIRMING);
        assertThat(EarStatus.tierOf(31)).isEqualTo(EarStatus.AFFIRMING);
        assertThat(EarStatus.tierOf(32)).isEqualTo(EarStatus.WARNING);
        assertThat(EarStatus.tierOf(95)).isEqualTo(EarStatus.WARNING);
        assertThat(EarStatus.tierOf(96)).isEqualTo(EarStatus.CONTRAINDICATED);
        assertThat(EarStatus.tierOf(-97)).isEqualTo(EarStatus.CONTRAINDICATED);
    }
}
