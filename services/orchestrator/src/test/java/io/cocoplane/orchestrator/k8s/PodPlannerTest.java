package io.cocoplane.orchestrator.k8s;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.initdata.DigestAlgorithm;
import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.initdata.InitDataException;
import io.cocoplane.orchestrator.domain.WorkloadSpec;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;

class PodPlannerTest {

    static final String DIGEST = "sha256:" + "0123456789abcdef".repeat(4);
    static final String IMAGE = "127.0.0.1:5000/team/app@" + DIGEST;

    static PodSettings settings(String annotationKey, Map<String, DigestAlgorithm> algorithms) {
        return new PodSettings(Map.of("snp", "kata-qemu-snp", "tdx", "kata-qemu-tdx"), algorithms, annotationKey,
                URI.create("https://kbs.example:8081"), null, "127.0.0.1:5000", "1", "2Gi", true, 1000L, 1000L,
                "Always", true);
    }

    static WorkloadSpec spec(String tee, boolean exec, boolean logs) {
        return new WorkloadSpec("5f0c1c2e-0000-4000-8000-000000000001", "llm-server", "ml", "team/app:v1", tee,
                List.of("team/secret/token"), exec, logs, null, null, "me");
    }

    @Test
    void thePodIsAKataConfidentialPodWithPinnedImageAndNoPrivilege() {
        PodPlan plan = new PodPlanner(settings(InitDataAnnotation.KEY, Map.of()))
                .plan(spec("snp", false, false), IMAGE, DIGEST, List.of("team/key/kek"));
        Pod pod = plan.pod();
        assertThat(pod.getMetadata().getName()).isEqualTo("llm-server-5f0c1c2e");
        assertThat(pod.getMetadata().getNamespace()).isEqualTo("ml");
        assertThat(pod.getMetadata().getLabels()).containsEntry(PodPlanner.WORKLOAD_LABEL,
                "5f0c1c2e-0000-4000-8000-000000000001");
        assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("kata-qemu-snp");
        assertThat(pod.getSpec().getHostPID()).isFalse();
        assertThat(pod.getSpec().getHostIPC()).isFalse();
        assertThat(pod.getSpec().getEnableServiceLinks()).isFalse();
        assertThat(pod.getSpec().getSecurityContext().getRunAsUser()).isEqualTo(1000L);
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo(IMAGE);
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(c.getResources().getLimits()).isEqualTo(Map.of("cpu", new Quantity("1"), "memory",
                new Quantity("2Gi")));
        assertThat(c.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(c.getSecurityContext().getPrivileged()).isFalse();
        assertThat(plan.allowedResources()).containsExactly("team/secret/token", "team/key/kek");

        InitDataDocument doc = InitDataAnnotation.decode(pod.getMetadata().getAnnotations().get(InitDataAnnotation.KEY));
        assertThat(doc).isEqualTo(plan.initData());
        assertThat(doc.initData().get(InitData.POLICY_REGO)).contains("default ExecProcessRequest := false")
                .contains("default ReadStreamRequest := false").contains("default SetPolicyRequest := false")
                .contains(IMAGE);
    }

    /**
     * Regression: the init-data held only the KBS URL and the agent policy, so two workloads of the same image and
     * options had the same init-data digest, and attestation (which binds evidence to a workload by that digest)
     * credited one workload's failed attestation and key denial to the other. The workload id is in policy_data now.
     */
    @Test
    void twoWorkloadsWithTheSameImageAndOptionsGetDifferentInitDataDigests() {
        PodPlanner planner = new PodPlanner(settings(InitDataAnnotation.KEY, Map.of()));
        WorkloadSpec first = spec("snp", false, false);
        WorkloadSpec twin = new WorkloadSpec("5f0c1c2e-0000-4000-8000-000000000002", first.name(), first.namespace(),
                first.image(), first.tee(), first.resources(), false, false, null, null, "me");

        PodPlan a = planner.plan(first, IMAGE, DIGEST, List.of());
        PodPlan b = planner.plan(twin, IMAGE, DIGEST, List.of());

        assertThat(a.initData().initData().get(InitData.POLICY_REGO))
                .contains("5f0c1c2e-0000-4000-8000-000000000001");
        assertThat(a.initData().digest()).isNotEqualTo(b.initData().digest());
        assertThat(planner.plan(first, IMAGE, DIGEST, List.of()).initData().digest())
                .as("the same workload planned again keeps its digest").isEqualTo(a.initData().digest());
    }

    @Test
    void agentPolicyOptionsOpenExecAndLogs() {
        PodPlan plan = new PodPlanner(settings(InitDataAnnotation.KEY, Map.of()))
                .plan(spec("snp", true, true), IMAGE, DIGEST, List.of());
        assertThat(plan.initData().initData().get(InitData.POLICY_REGO))
                .contains("default ExecProcessRequest := true").contains("default ReadStreamRequest := true");
    }

    @Test
    void theAnnotationKeyAndTheAlgorithmPerTeeAreConfigurable() {
        PodPlan plan = new PodPlanner(settings(InitDataAnnotation.LEGACY_RUNTIME_KEY,
                Map.of("tdx", DigestAlgorithm.SHA384))).plan(spec("tdx", false, false), IMAGE, DIGEST, List.of());
        Map<String, String> annotations = plan.pod().getMetadata().getAnnotations();
        assertThat(annotations).containsKey(InitDataAnnotation.LEGACY_RUNTIME_KEY)
                .doesNotContainKey(InitDataAnnotation.KEY);
        assertThat(plan.initData().digest().algorithm()).isEqualTo(DigestAlgorithm.SHA384);
        assertThat(plan.runtimeClass()).isEqualTo("kata-qemu-tdx");
    }

    @Test
    void anUnpinnedImageOrUnknownTeeIsRefused() {
        PodPlanner planner = new PodPlanner(settings(InitDataAnnotation.KEY, Map.of()));
        assertThatThrownBy(() -> planner.plan(spec("snp", false, false), "127.0.0.1:5000/team/app:v1", DIGEST,
                List.of())).isInstanceOf(InitDataException.class);
        assertThatThrownBy(() -> planner.plan(spec("sgx", false, false), IMAGE, DIGEST, List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("sgx");
    }

    @Test
    void podNamesStayDnsLabels() {
        WorkloadSpec longName = new WorkloadSpec("ABCDEF12-x", "a".repeat(53) + "-b", "ns", "i", "snp", List.of(),
                false, false, null, null, null);
        String name = PodPlanner.podName(longName);
        assertThat(name).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
                .endsWith("-abcdef12");
    }
}
