package io.cocoplane.keybroker.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import io.cocoplane.kbsprotocol.ResourcePath;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class ReleasePolicyTest {

    private static final ReleasePolicy DEFAULT = ReleasePolicy.compile(ReleasePolicy.DEFAULT);
    private static final ResourcePath PATH = ResourcePath.parse("team/key/model");

    private static EarToken token(String status) {
        ObjectNode c = JsonMapper.builder().build().createObjectNode();
        ObjectNode cpu0 = c.putObject("submods").putObject("cpu0");
        cpu0.put("ear.status", status);
        cpu0.putObject("ear.trustworthiness-vector").put("hardware", 2);
        cpu0.putObject("ear.veraison.annotated-evidence").putObject("snp").put("measurement", "ab");
        return new EarToken("t", c, Instant.now());
    }

    private static ReleaseInput input(String status, WorkloadBinding b, String workloadClaim) {
        return new ReleaseInput(token(status), "snp", "aa", workloadClaim, Optional.ofNullable(b), PATH);
    }

    private static WorkloadBinding binding(String... allowed) {
        return new WorkloadBinding("wl-1", "aa", "sha256:0", "snp", List.of(allowed), true);
    }

    @Test
    void theDefaultReleasesOnlyAffirmingBoundAllowedPaths() {
        assertThat(DEFAULT.evaluate(input("affirming", binding("team/key/model"), "").toCel()).allowed()).isTrue();
        assertThat(DEFAULT.evaluate(input("warning", binding("team/key/model"), "").toCel()).allowed()).isFalse();
        assertThat(DEFAULT.evaluate(input("affirming", null, "").toCel()).allowed()).isFalse();
        assertThat(DEFAULT.evaluate(input("affirming", binding("team/key/other"), "").toCel()).allowed()).isFalse();
        assertThat(DEFAULT.evaluate(input("affirming", binding("team/key/model"), "wl-2").toCel()).allowed())
                .isFalse();
        assertThat(DEFAULT.evaluate(input("affirming", binding("team/key/model"), "wl-1").toCel()).allowed())
                .isTrue();
    }

    @Test
    void denialsAreExplained() {
        assertThat(input("contraindicated", binding(), "").explainDenial()).contains("contraindicated");
        assertThat(input("affirming", null, "").explainDenial()).contains("no live workload is bound to init-data aa");
        assertThat(input("affirming", binding("x/y/z"), "").explainDenial()).contains("may not receive team/key/model");
    }

    @Test
    void policiesSeeTheClaimsAndErrorsDeny() {
        ReleasePolicy hw = ReleasePolicy.compile("ear[\"ear.trustworthiness-vector\"].hardware <= 31"
                + " && has(ear[\"ear.veraison.annotated-evidence\"].snp) && resource.repository == \"team\"");
        assertThat(hw.evaluate(input("affirming", null, "").toCel()).allowed()).isTrue();
        ReleasePolicy missing = ReleasePolicy.compile("ear.nosuch == 1");
        ReleasePolicy.Decision d = missing.evaluate(input("affirming", null, "").toCel());
        assertThat(d.allowed()).isFalse();
        assertThat(d.reason()).startsWith("policy evaluation failed");
    }

    @Test
    void nonBooleanOrBrokenPoliciesDoNotCompile() {
        assertThatThrownBy(() -> ReleasePolicy.compile("1 + 1")).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> ReleasePolicy.compile("ear[")).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> ReleasePolicy.compile(" ")).isInstanceOf(InvalidPolicyException.class);
        assertThatThrownBy(() -> ReleasePolicy.compile("true || " + "true || ".repeat(3000) + "true"))
                .isInstanceOf(InvalidPolicyException.class);
    }
}
