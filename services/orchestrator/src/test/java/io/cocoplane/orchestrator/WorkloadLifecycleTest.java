package io.cocoplane.orchestrator;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Primary;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.cocoplane.contracts.AgentPolicyOptions;
import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.contracts.KeyDenied;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.KeyResourceUpdated;
import io.cocoplane.contracts.ResourceLimits;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadDeletionRequested;
import io.cocoplane.contracts.WorkloadRequested;
import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.orchestrator.domain.WorkloadState;
import io.cocoplane.orchestrator.k8s.PodPlanner;
import io.cocoplane.orchestrator.persistence.WorkloadRepository;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PodStatusBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import tools.jackson.databind.json.JsonMapper;

/**
 * The orchestrator end to end against the fabric8 mock API server (CRUD mode), a real Kafka broker and PostgreSQL:
 * commands and facts go in as CloudEvents, the test plays kubelet by writing pod status and events, and the pods,
 * the database and the published events are checked.
 */
@EnableKubernetesMockClient(crud = true, https = false)
@TestInfra(schema = "orchestrator")
@SpringBootTest(classes = {OrchestratorApplication.class, WorkloadLifecycleTest.ClockConfig.class})
@AutoConfigureMockMvc
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_CLASS)
class WorkloadLifecycleTest {

    static KubernetesClient client;

    static final String NS = "default";
    static final String KBS_URL = "https://kbs.cocoplane.test:8081";

    @TestConfiguration
    static class ClockConfig {
        @Bean
        @Primary
        MutableClock testClock() {
            return new MutableClock();
        }
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        TestSupport.PROPERTIES.forEach((k, v) -> registry.add(k, () -> v));
        registry.add("cocoplane.orchestrator.kubernetes.master-url", () -> client.getMasterUrl().toString());
    }

    @Autowired
    ApplicationContext ctx;
    @Autowired
    WorkloadRepository workloads;
    @Autowired
    MutableClock clock;
    @Autowired
    MockMvc mvc;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    JsonMapper json;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    // ---------------------------------------------------------------- helpers

    record Image(String repository, String tag, String digest) {
        String reference() {
            return "127.0.0.1:5000/" + repository + ":" + tag;
        }

        String pinned() {
            return "127.0.0.1:5000/" + repository + "@" + digest;
        }
    }

    /** Pushes an image (and its KEKs to the key broker) and waits until the projections hold them. */
    Image pushImage(List<String> keks, boolean registerKeks) throws Exception {
        String repo = "team/llm-" + UUID.randomUUID().toString().substring(0, 8);
        Image img = new Image(repo, "v1", TestSupport.randomDigest());
        if (registerKeks) {
            for (String kek : keks) {
                TestSupport.send(ctx, new KeyResourceUpdated(kek.substring("kbs:///".length()), 1, "admin", 32));
            }
        }
        TestSupport.send(ctx, TestSupport.image(repo, "v1", img.digest(), keks));
        return img;
    }

    String request(Image img, String tee, List<String> resources, AgentPolicyOptions policy) throws Exception {
        String id = UUID.randomUUID().toString();
        TestSupport.send(ctx, new WorkloadRequested(id, "llm", NS, img.reference(), tee, resources, policy,
                new ResourceLimits("2", "4Gi"), "deployer@example"));
        return id;
    }

    WorkloadRepository.Workload awaitState(String id, WorkloadState state) {
        return await().atMost(Duration.ofSeconds(30)).until(() -> workloads.find(id).orElse(null),
                w -> w != null && w.lifecycle().state() == state);
    }

    List<Pod> podsOf(String id) {
        return client.pods().inNamespace(NS).withLabel(PodPlanner.WORKLOAD_LABEL, id).list().getItems();
    }

    void setPodStatus(String id, PodStatus status) {
        Pod pod = podsOf(id).get(0);
        pod.setStatus(status);
        client.pods().inNamespace(NS).resource(pod).updateStatus();
    }

    static PodStatus ready() {
        return new PodStatusBuilder().withPhase("Running")
                .addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewContainerStatus().withName(PodPlanner.CONTAINER).withReady(true)
                    .withNewState().withNewRunning().endRunning().endState().endContainerStatus()
                .build();
    }

    String attest(String id, String digest) throws Exception {
        return attest(id, digest, TestSupport.randomDigest());
    }

    String attest(String id, String digest, String evidence) throws Exception {
        return TestSupport.send(ctx, new AttestationCompleted(evidence, "snp", "affirming",
                Map.of("executables", 2), "aa", digest, id, "jti-1", null));
    }

    /** Sends an event on the same partition as earlier ones with this subject and waits until it was consumed. */
    void drainBehind(String evidenceDigest) throws Exception {
        String marker = attest(null, null, evidenceDigest);
        await().atMost(Duration.ofSeconds(30)).until(() -> inboxHas(marker));
    }

    List<String> historyStates(String id) {
        return workloads.history(id).stream().map(WorkloadRepository.HistoryEntry::to).toList();
    }

    /** Workload events for one workload, once the outbox relay has published {@code expected} of them. */
    List<ConsumerRecord<String, byte[]>> workloadEvents(String id, int expected) {
        return await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readKey(bootstrap, Topics.WORKLOAD_EVENTS, id), l -> l.size() >= expected);
    }

    static List<String> types(List<ConsumerRecord<String, byte[]>> records) {
        return records.stream().map(r -> TestSupport.header(r, "ce_type")).toList();
    }

    WorkloadScheduled scheduledEvent(List<ConsumerRecord<String, byte[]>> records) {
        var r = records.stream()
                .filter(x -> EventCatalog.WORKLOAD_SCHEDULED.ceType().equals(TestSupport.header(x, "ce_type")))
                .findFirst().orElseThrow();
        return json.readValue(r.value(), WorkloadScheduled.class);
    }

    // ---------------------------------------------------------------- tests

    @Test
    void aRequestedWorkloadGetsExactlyOneKataPodWithPinnedImageInitDataAndOneScheduledEvent() throws Exception {
        String kek = "kbs:///team/key/llm-kek-" + UUID.randomUUID().toString().substring(0, 8);
        Image img = pushImage(List.of(kek), true);
        String id = request(img, "snp", List.of("team/secret/model-token"), new AgentPolicyOptions(false, false));

        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);
        List<Pod> pods = podsOf(id);
        assertThat(pods).hasSize(1);
        Pod pod = pods.get(0);
        assertThat(pod.getSpec().getRuntimeClassName()).isEqualTo("kata-qemu-snp");
        assertThat(pod.getMetadata().getLabels()).containsEntry(PodPlanner.WORKLOAD_LABEL, id);
        assertThat(pod.getMetadata().getAnnotations())
                .containsEntry(PodPlanner.RUNTIME_HANDLER_ANNOTATION, "kata-qemu-snp");
        Container c = pod.getSpec().getContainers().get(0);
        assertThat(c.getImage()).isEqualTo(img.pinned());
        assertThat(c.getImagePullPolicy()).isEqualTo("Always");
        assertThat(c.getResources().getLimits()).containsEntry("cpu", new Quantity("2"))
                .containsEntry("memory", new Quantity("4Gi"));
        assertThat(c.getResources().getRequests()).isEqualTo(c.getResources().getLimits());
        assertThat(c.getSecurityContext().getPrivileged()).isFalse();
        assertThat(c.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(c.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(c.getVolumeMounts()).isEmpty();
        assertThat(pod.getSpec().getVolumes()).isEmpty();
        assertThat(pod.getSpec().getHostNetwork()).isFalse();
        assertThat(pod.getSpec().getAutomountServiceAccountToken()).isFalse();

        InitDataDocument doc = InitDataAnnotation.decode(
                pod.getMetadata().getAnnotations().get(InitDataAnnotation.KEY));
        assertThat(doc.initData().algorithm().tomlName()).isEqualTo("sha256");
        assertThat(doc.initData().get(InitData.AA_TOML)).contains(KBS_URL);
        assertThat(doc.initData().get(InitData.CDH_TOML)).contains(KBS_URL).contains("cc_kbc");
        String rego = doc.initData().get(InitData.POLICY_REGO);
        assertThat(rego).contains("default ExecProcessRequest := false")
                .contains("default ReadStreamRequest := false").contains(img.pinned());

        var events = workloadEvents(id, 3); // REQUESTED, scheduled, SCHEDULED
        assertThat(types(events)).filteredOn(EventCatalog.WORKLOAD_SCHEDULED.ceType()::equals).hasSize(1);
        WorkloadScheduled scheduled = scheduledEvent(events);
        assertThat(scheduled.initDataDigest()).isEqualTo(doc.digest().hex()).isEqualTo(w.placement().initDataDigest());
        assertThat(scheduled.initDataAlgorithm()).isEqualTo("sha256");
        assertThat(scheduled.image()).isEqualTo(img.pinned());
        assertThat(scheduled.imageDigest()).isEqualTo(img.digest());
        assertThat(scheduled.runtimeClass()).isEqualTo("kata-qemu-snp");
        assertThat(scheduled.pod()).isEqualTo(pod.getMetadata().getName());
        assertThat(scheduled.allowedResources())
                .containsExactly("team/secret/model-token", kek.substring("kbs:///".length()));
    }

    @Test
    void happyPathPodReadyThenAttestedEndsRunningAndIsServedByTheApi() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "tdx", List.of(), new AgentPolicyOptions(true, true));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);
        assertThat(podsOf(id).get(0).getSpec().getRuntimeClassName()).isEqualTo("kata-qemu-tdx");
        String rego = InitDataAnnotation.decode(podsOf(id).get(0).getMetadata().getAnnotations()
                .get(InitDataAnnotation.KEY)).initData().get(InitData.POLICY_REGO);
        assertThat(rego).contains("default ExecProcessRequest := true").contains("default ReadStreamRequest := true");

        setPodStatus(id, ready());
        await().atMost(Duration.ofSeconds(30)).until(() -> workloads.find(id).orElseThrow().lifecycle().podReady());
        // pod ready alone is not RUNNING: attestation is missing
        assertThat(workloads.find(id).orElseThrow().lifecycle().state()).isEqualTo(WorkloadState.SCHEDULED);

        attest(id, w.placement().initDataDigest());
        awaitState(id, WorkloadState.RUNNING);
        assertThat(historyStates(id)).containsExactly("REQUESTED", "SCHEDULED", "ATTESTED", "RUNNING");
        var events = workloadEvents(id, 5);
        assertThat(types(events)).containsExactly(EventCatalog.WORKLOAD_STATE_CHANGED.ceType(),
                EventCatalog.WORKLOAD_SCHEDULED.ceType(), EventCatalog.WORKLOAD_STATE_CHANGED.ceType(),
                EventCatalog.WORKLOAD_STATE_CHANGED.ceType(), EventCatalog.WORKLOAD_STATE_CHANGED.ceType());

        mvc.perform(get("/api/v1/workloads/" + id)).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("RUNNING"))
                .andExpect(jsonPath("$.pod").value(w.placement().podName()))
                .andExpect(jsonPath("$.imageDigest").value(img.digest()))
                .andExpect(jsonPath("$.initDataDigest").value(w.placement().initDataDigest()))
                .andExpect(jsonPath("$.history.length()").value(4))
                .andExpect(jsonPath("$.history[3].to").value("RUNNING"))
                .andExpect(jsonPath("$.history[3].cause").value(org.hamcrest.Matchers.startsWith(
                        "attestation.completed")));
        mvc.perform(get("/api/v1/workloads?limit=100")).andExpect(status().isOk())
                .andExpect(jsonPath("$[?(@.id == '" + id + "')].state").value("RUNNING"));
    }

    @Test
    void keyDeniedForAnotherInitDataIsIgnoredButOneForItsOwnFailsTheWorkload() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "snp", List.of("team/secret/model-token"), new AgentPolicyOptions(false, false));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);
        String foreign = TestSupport.randomDigest();
        TestSupport.send(ctx, new KeyDenied("team/secret/model-token", "snp", foreign, id, "jti-x", "no live binding"));
        String own = TestSupport.send(ctx, new KeyDenied("team/secret/model-token", "snp",
                w.placement().initDataDigest(), id, "jti-y", "policy denied"));
        WorkloadRepository.Workload failed = awaitState(id, WorkloadState.FAILED);
        assertThat(failed.lifecycle().reason().name()).isEqualTo("KEY_DENIED");
        // exactly one failure, caused by the denial for the workload's own init-data
        assertThat(historyStates(id)).containsExactly("REQUESTED", "SCHEDULED", "FAILED");
        assertThat(ctx.getBean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                "SELECT cause FROM workload_history WHERE workload_id = ? AND to_state = 'FAILED'", String.class, id))
                .contains(own);
    }

    @Test
    void attestationBeforeThePodIsReadyWaitsInAttestedThenRuns() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "coco-dev", List.of(), new AgentPolicyOptions(false, false));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);
        assertThat(podsOf(id).get(0).getSpec().getRuntimeClassName()).isEqualTo("kata-qemu-coco-dev");

        attest(id, w.placement().initDataDigest());
        awaitState(id, WorkloadState.ATTESTED);
        setPodStatus(id, ready());
        awaitState(id, WorkloadState.RUNNING);
        assertThat(historyStates(id)).containsExactly("REQUESTED", "SCHEDULED", "ATTESTED", "RUNNING");
    }

    @Test
    void duplicatedCommandsAndFactsHaveTheirEffectOnce() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = UUID.randomUUID().toString();
        var cmd = new WorkloadRequested(id, "dup", NS, img.reference(), "snp", List.of(),
                new AgentPolicyOptions(false, false), null, "deployer@example");
        UUID cmdId = UUID.randomUUID();
        TestSupport.send(ctx, cmd, cmdId);
        TestSupport.send(ctx, cmd, cmdId);          // redelivery of the same event
        TestSupport.send(ctx, cmd);                 // the same command again under a new event id
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);

        setPodStatus(id, ready());
        setPodStatus(id, ready());
        UUID att = UUID.randomUUID();
        var attestation = new AttestationCompleted(TestSupport.randomDigest(), "snp", "affirming", Map.of(), null,
                w.placement().initDataDigest(), id, "jti", null);
        TestSupport.send(ctx, attestation, att);
        TestSupport.send(ctx, attestation, att);
        TestSupport.send(ctx, attestation);
        awaitState(id, WorkloadState.RUNNING);
        // a late duplicate after RUNNING changes nothing either
        TestSupport.send(ctx, attestation);
        drainBehind(attestation.evidenceDigest());

        assertThat(podsOf(id)).hasSize(1);
        assertThat(historyStates(id)).containsExactly("REQUESTED", "SCHEDULED", "ATTESTED", "RUNNING");
        var events = workloadEvents(id, 5);
        assertThat(types(events)).filteredOn(EventCatalog.WORKLOAD_SCHEDULED.ceType()::equals).hasSize(1);
        assertThat(types(events)).filteredOn(EventCatalog.WORKLOAD_STATE_CHANGED.ceType()::equals).hasSize(4);
    }

    private boolean inboxHas(String eventId) {
        return Boolean.TRUE.equals(ctx.getBean(org.springframework.jdbc.core.JdbcTemplate.class).queryForObject(
                "SELECT EXISTS (SELECT 1 FROM eventing_inbox WHERE event_id = ?)", Boolean.class, eventId));
    }

    @Test
    void anImageThatWasNeverPushedFailsWithImageNotFoundAndNoPod() throws Exception {
        Image img = new Image("team/never-pushed", "v9", TestSupport.randomDigest());
        String id = request(img, "snp", List.of(), new AgentPolicyOptions(false, false));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.FAILED);
        assertThat(w.lifecycle().reason().name()).isEqualTo("IMAGE_NOT_FOUND");
        assertThat(podsOf(id)).isEmpty();
        assertThat(historyStates(id)).containsExactly("REQUESTED", "FAILED");
    }

    @Test
    void anEncryptedLayerWhoseKekIsNotInTheKeyBrokerFailsWithKeyMissing() throws Exception {
        String kek = "kbs:///team/key/absent-" + UUID.randomUUID().toString().substring(0, 8);
        Image img = pushImage(List.of(kek), false);
        String id = request(img, "snp", List.of(), new AgentPolicyOptions(false, false));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.FAILED);
        assertThat(w.lifecycle().reason().name()).isEqualTo("KEY_MISSING");
        assertThat(w.lifecycle().detail()).contains(kek);
        assertThat(podsOf(id)).isEmpty();
    }

    @Test
    void runContainerErrorOnLayerDecryptionFailsWithImageDecryptFailed() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "snp", List.of(), new AgentPolicyOptions(false, false));
        awaitState(id, WorkloadState.SCHEDULED);
        setPodStatus(id, new PodStatusBuilder().withPhase("Pending")
                .addNewCondition().withType("Ready").withStatus("False").endCondition()
                .addNewContainerStatus().withName(PodPlanner.CONTAINER).withReady(false)
                    .withNewState().withNewWaiting().withReason("RunContainerError")
                        .withMessage("failed to create containerd task: CreateContainer failed: Failed to decrypt "
                                + "the image layer, please ensure that the decryption key is placed and correct")
                    .endWaiting().endState().endContainerStatus()
                .build());
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.FAILED);
        assertThat(w.lifecycle().reason().name()).isEqualTo("IMAGE_DECRYPT_FAILED");
        assertThat(w.lifecycle().detail()).startsWith("RunContainerError").contains("Failed to decrypt");
    }

    @Test
    void aFailedCreatePodSandBoxEventFailsWithPodRejected() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "snp", List.of(), new AgentPolicyOptions(false, false));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);
        client.v1().events().inNamespace(NS).resource(new EventBuilder()
                .withNewMetadata().withName(w.placement().podName() + ".sandbox").withNamespace(NS).endMetadata()
                .withType("Warning").withReason("FailedCreatePodSandBox")
                .withMessage("Failed to create pod sandbox: rpc error: code = Unknown desc = failed to create shim "
                        + "task: annotation io.katacontainers.config.hypervisor.cc_init_data is not enabled")
                .withNewInvolvedObject().withKind("Pod").withName(w.placement().podName()).withNamespace(NS)
                    .endInvolvedObject()
                .build()).create();
        WorkloadRepository.Workload failed = awaitState(id, WorkloadState.FAILED);
        assertThat(failed.lifecycle().reason().name()).isEqualTo("POD_REJECTED");
        assertThat(failed.lifecycle().detail()).contains("is not enabled");
    }

    @Test
    void aPodThatIsNeverAttestedFailsWithDeadlineExceeded() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "snp", List.of(), new AgentPolicyOptions(false, false));
        awaitState(id, WorkloadState.SCHEDULED);
        setPodStatus(id, ready());
        await().atMost(Duration.ofSeconds(30)).until(() -> workloads.find(id).orElseThrow().lifecycle().podReady());
        clock.advance(Duration.ofMinutes(6)); // past the 5 min attestation deadline
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.FAILED);
        assertThat(w.lifecycle().reason().name()).isEqualTo("DEADLINE_EXCEEDED");
        assertThat(w.lifecycle().detail()).contains("not attested");
    }

    @Test
    void deletionRemovesThePodAndEndsTerminated() throws Exception {
        Image img = pushImage(List.of(), false);
        String id = request(img, "snp", List.of(), new AgentPolicyOptions(false, false));
        WorkloadRepository.Workload w = awaitState(id, WorkloadState.SCHEDULED);
        setPodStatus(id, ready());
        attest(id, w.placement().initDataDigest());
        awaitState(id, WorkloadState.RUNNING);

        TestSupport.send(ctx, new WorkloadDeletionRequested(id, "deployer@example"));
        awaitState(id, WorkloadState.TERMINATED);
        assertThat(podsOf(id)).isEmpty();
        assertThat(historyStates(id)).containsExactly("REQUESTED", "SCHEDULED", "ATTESTED", "RUNNING", "TERMINATING",
                "TERMINATED");
        // facts after termination change nothing
        String evidence = TestSupport.randomDigest();
        attest(id, w.placement().initDataDigest(), evidence);
        drainBehind(evidence);
        assertThat(historyStates(id)).hasSize(6).endsWith("TERMINATED");
    }

    @Test
    void theApiAnswersProblemJsonForUnknownIdsAndBadPaging() throws Exception {
        mvc.perform(get("/api/v1/workloads/" + UUID.randomUUID())).andExpect(status().isNotFound())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"))
                .andExpect(jsonPath("$.status").value(404));
        mvc.perform(get("/api/v1/workloads?limit=1000")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/api/v1/workloads?limit=abc")).andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith("application/problem+json"));
        mvc.perform(get("/api/v1/workloads/" + "x".repeat(64))).andExpect(status().isBadRequest());
    }
}
