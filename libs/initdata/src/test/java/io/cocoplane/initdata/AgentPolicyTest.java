package io.cocoplane.initdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cocoplane.initdata.InitDataException.Reason;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Policy options (exec/logs/CopyFile denied by default, allowed when asked) and image pinning by digest. */
class AgentPolicyTest {

    private static final String IMAGE_A = "quay.io/example/app@sha256:" + "ab".repeat(32);
    private static final String IMAGE_B = "registry.example.com:5000/team/worker:1.2@sha256:" + "01".repeat(32);

    /** Every request of kata src/kata-opa/allow-all.rego, as listed in design/kata-orchestration.md §3. */
    private static final List<String> ALL_REQUESTS = List.of("AddARPNeighbors", "AddSwap", "CloseStdin", "CopyFile",
            "CreateContainer", "CreateSandbox", "DestroySandbox", "ExecProcess", "GetDiagnosticData", "GetMetrics",
            "GetOOMEvent", "GuestDetails", "ListInterfaces", "ListRoutes", "MemAgentCompactConfig",
            "MemAgentMemcgConfig", "MemHotplugByProbe", "OnlineCPUMem", "PauseContainer", "PullImage", "ReadStream",
            "RemoveContainer", "RemoveStaleVirtiofsShareMounts", "ReseedRandomDev", "ResumeContainer",
            "SetGuestDateTime", "SetPolicy", "SignalProcess", "StartContainer", "StartTracing", "StatsContainer",
            "StopTracing", "TtyWinResize", "UpdateContainer", "UpdateEphemeralMounts", "UpdateInterface",
            "UpdateRoutes", "WaitProcess", "WriteStream");

    private static String defaultOf(String rego, String request) {
        Matcher m = Pattern.compile("(?m)^default " + request + "Request := (true|false)$").matcher(rego);
        assertThat(m.find()).as("default for %s", request).isTrue();
        String value = m.group(1);
        assertThat(m.find()).as("single default for %s", request).isFalse();
        return value;
    }

    private static JsonNode policyData(String rego) {
        int at = rego.indexOf("policy_data := ");
        assertThat(at).isPositive();
        return JsonMapper.builder().build().readTree(rego.substring(at + "policy_data := ".length()));
    }

    @Test
    void theWorkloadIdIsInPolicyDataAndMalformedIdsAreRefused() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).workloadId("wl-1.a_B").build().rego();
        assertThat(rego).contains("\"workload\" : \"wl-1.a_B\"");
        assertThat(AgentPolicy.builder().pinImage(IMAGE_A).build().rego()).doesNotContain("\"workload\"");
        assertThatThrownBy(() -> AgentPolicy.builder().workloadId("a\"b"))
                .isInstanceOf(InitDataException.class).hasMessageContaining("workload id");
        assertThatThrownBy(() -> AgentPolicy.builder().workloadId("x".repeat(129)))
                .isInstanceOf(InitDataException.class);
    }

    @Test
    void everyKnownRequestHasExactlyOneDefault() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).build().rego();

        assertThat(rego).startsWith("package agent_policy\n");
        for (String request : ALL_REQUESTS) {
            defaultOf(rego, request);
        }
        assertThat(Pattern.compile("(?m)^default ").matcher(rego).results().count()).isEqualTo(ALL_REQUESTS.size());
    }

    @Test
    void execLogsSetPolicyAndCopyFileAreDeniedByDefault() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).build().rego();

        assertThat(defaultOf(rego, "ExecProcess")).isEqualTo("false");
        assertThat(defaultOf(rego, "ReadStream")).isEqualTo("false");
        assertThat(defaultOf(rego, "SetPolicy")).isEqualTo("false");
        assertThat(defaultOf(rego, "CopyFile")).isEqualTo("false");
        assertThat(defaultOf(rego, "WriteStream")).isEqualTo("false");
        assertThat(defaultOf(rego, "CreateContainer")).isEqualTo("false");
        assertThat(rego).doesNotContain("CopyFileRequest if").doesNotContain("ExecProcessRequest if");
    }

    @Test
    void lifecycleRequestsStayAllowed() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).build().rego();

        for (String r : List.of("CreateSandbox", "DestroySandbox", "StartContainer", "RemoveContainer", "WaitProcess",
                "SignalProcess", "PullImage", "GuestDetails", "UpdateInterface", "UpdateRoutes")) {
            assertThat(defaultOf(rego, r)).as(r).isEqualTo("true");
        }
    }

    @Test
    void execIsAllowedWhenAskedButLogsStayDenied() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).allowExec().build().rego();

        assertThat(defaultOf(rego, "ExecProcess")).isEqualTo("true");
        assertThat(defaultOf(rego, "WriteStream")).isEqualTo("true");
        assertThat(defaultOf(rego, "CloseStdin")).isEqualTo("true");
        assertThat(defaultOf(rego, "ReadStream")).isEqualTo("false");
        assertThat(defaultOf(rego, "SetPolicy")).isEqualTo("false");
    }

    @Test
    void logsAreAllowedWhenAskedButExecStaysDenied() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).allowLogs().build().rego();

        assertThat(defaultOf(rego, "ReadStream")).isEqualTo("true");
        assertThat(defaultOf(rego, "ExecProcess")).isEqualTo("false");
    }

    @Test
    void copyFileIsAllowedOnlyUnderTheSharedContainersDirectoryWhenAsked() {
        String rego = AgentPolicy.builder().pinImage(IMAGE_A).allowCopyFileToSharedContainers().build().rego();

        assertThat(defaultOf(rego, "CopyFile")).isEqualTo("false");
        assertThat(rego).contains("CopyFileRequest if {\n\tstartswith(input.path, "
                + "\"/run/kata-containers/shared/containers/\")\n\tnot contains(input.path, \"/../\")\n}");
    }

    @Test
    void imagesArePinnedInPolicyDataAndCheckedOnCreateContainer() {
        AgentPolicy policy = AgentPolicy.builder().pinImage(IMAGE_B).pinImage(IMAGE_A).build();
        String rego = policy.rego();

        JsonNode containers = policyData(rego).get("containers");
        assertThat(containers).hasSize(2);
        assertThat(containers.get(0).get("OCI").get("Annotations").get("io.kubernetes.cri.image-name").stringValue())
                .isEqualTo(IMAGE_A);
        assertThat(containers.get(1).get("OCI").get("Annotations").get("io.kubernetes.cri.image-name").stringValue())
                .isEqualTo(IMAGE_B);
        assertThat(rego).contains("container.OCI.Annotations[\"io.kubernetes.cri.image-name\"] == image")
                .contains("storage.source == image");
        assertThat(policy.images()).containsExactly(IMAGE_A, IMAGE_B);
    }

    @Test
    void outputIsDeterministic() {
        String one = AgentPolicy.builder().pinImage(IMAGE_A).pinImage(IMAGE_B).allowLogs().build().rego();
        String two = AgentPolicy.builder().allowLogs().pinImage(IMAGE_B).pinImage(IMAGE_A).pinImage(IMAGE_A).build().rego();

        assertThat(one).isEqualTo(two).doesNotContain("\r");
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "nginx",
            "nginx:latest",
            "quay.io/example/app:1.0",
            "quay.io/example/app@sha256:abc",
            "quay.io/example/app@sha256:ABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABABAB",
            "quay.io/example/app@md5:0123456789abcdef0123456789abcdef",
            "Quay.io/Example/App@sha256:abababababababababababababababababababababababababababababababab",
            "quay.io/example/app@sha256:abababababababababababababababababababababababababababababababab\n",
            " quay.io/example/app@sha256:abababababababababababababababababababababababababababababababab"
    })
    void unpinnedOrMalformedImagesAreRefused(String reference) {
        assertThatThrownBy(() -> AgentPolicy.builder().pinImage(reference))
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.IMAGE_NOT_PINNED));
    }

    @Test
    void aPolicyWithoutImagesIsRefused() {
        assertThatThrownBy(() -> AgentPolicy.builder().allowExec().build())
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    }

    @Test
    void imageCountIsLimited() {
        AgentPolicy.Builder b = AgentPolicy.builder();
        for (int i = 0; i < AgentPolicy.MAX_IMAGES; i++) {
            b.pinImage("r.example/app" + i + "@sha256:" + "cd".repeat(32));
        }
        assertThatThrownBy(() -> b.pinImage("r.example/one-more@sha256:" + "cd".repeat(32)))
                .isInstanceOf(InitDataException.class);
        assertThat(b.build().images()).hasSize(AgentPolicy.MAX_IMAGES);
    }

    @Test
    void policyFitsInInitDataAndSurvivesTheAnnotation() {
        AgentPolicy policy = AgentPolicy.builder().pinImage(IMAGE_A).build();
        InitData data = InitData.builder().put(InitData.POLICY_REGO, policy.rego()).build();

        InitDataDocument back = InitDataAnnotation.decode(InitDataAnnotation.encode(InitDataDocument.write(data)));

        assertThat(back.initData().get(InitData.POLICY_REGO)).isEqualTo(policy.rego());
    }
}
