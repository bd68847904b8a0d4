package io.cocoplane.katasim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

import io.cocoplane.initdata.AgentPolicy;

/** Reading exec and CreateContainer decisions from the orchestrator's generated policy, without a Rego engine. */
class AgentPolicyTextTest {

    static final String IMAGE = "registry.example:5000/app@sha256:" + "c".repeat(64);

    @Test
    void execFollowsTheGeneratorsDefault() {
        String denied = AgentPolicy.builder().pinImage(IMAGE).build().rego();
        AgentPolicyText.Decision d = AgentPolicyText.decide(denied, "ExecProcessRequest");
        assertThat(d.allowed()).isFalse();
        assertThat(d.rule()).isEqualTo("default ExecProcessRequest := false");
        assertThat(d.denialMessage()).isEqualTo("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false");

        String allowed = AgentPolicy.builder().pinImage(IMAGE).allowExec().build().rego();
        assertThat(AgentPolicyText.decide(allowed, "ExecProcessRequest"))
                .isEqualTo(new AgentPolicyText.Decision("ExecProcessRequest", true, "default ExecProcessRequest := true"));
        assertThat(AgentPolicyText.decide(denied, "ReadStreamRequest").allowed()).isFalse();
        assertThat(AgentPolicyText.decide(denied, "StartContainerRequest").allowed()).isTrue();
    }

    @Test
    void escapeHatchRulesWithoutDefaultAndMissingRules() {
        assertThat(AgentPolicyText.decide("package agent_policy\ndefault ExecProcessRequest := false\n"
                + "default AllowRequestsFailingPolicy := true\n", "ExecProcessRequest").allowed()).isTrue();
        AgentPolicyText.Decision rules = AgentPolicyText.decide("package agent_policy\nExecProcessRequest if {\n"
                + "  input.process.Args[0] == \"ls\"\n}\n", "ExecProcessRequest");
        assertThat(rules.allowed()).isFalse();
        assertThat(rules.rule()).contains("has rules but no default");
        assertThat(AgentPolicyText.decide("package agent_policy\n", "ExecProcessRequest").rule())
                .isEqualTo("(no rule for ExecProcessRequest)");
        assertThatThrownBy(() -> AgentPolicyText.decide("x", "Exec.*")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createContainerChecksThePinnedImages() {
        String rego = AgentPolicy.builder().pinImage(IMAGE).build().rego();
        assertThat(AgentPolicyText.createContainerDenial(rego, IMAGE)).isEmpty();
        String other = "registry.example:5000/evil@sha256:" + "d".repeat(64);
        assertThat(AgentPolicyText.createContainerDenial(rego, other)).contains("CreateContainerRequest is blocked "
                + "by policy: image " + other + " is not among the policy_data containers");
        assertThat(AgentPolicyText.createContainerDenial("package agent_policy\ndefault CreateContainerRequest := true\n",
                other)).isEmpty();
        assertThat(AgentPolicyText.declaresPackage(rego)).isTrue();
        assertThat(AgentPolicyText.declaresPackage("package agent_policy_x\n")).isFalse();
    }
}
