package io.cocoplane.katasim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cocoplane.initdata.AgentPolicy;
import io.cocoplane.initdata.CocoInitData;
import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;

/**
 * The simulator against a fabric8 CRUD mock API server, an in-test OCI registry with token auth and an in-test KBS
 * that verifies sample evidence with libs/tee-evidence. No Docker, no network beyond 127.0.0.1.
 */
@EnableKubernetesMockClient(crud = true)
class KataNodeSimulatorTest {

    static final String NS = "default";
    static final String RUNTIME_CLASS = "kata-qemu-coco-dev";

    KubernetesMockServer server;
    KubernetesClient client;

    @TempDir
    Path workDir;

    FakeKbs kbs;
    FakeRegistry registry;
    KataNodeSimulator sim;
    final SecureRandom random = new SecureRandom();

    @BeforeEach
    void fakes() throws Exception {
        kbs = new FakeKbs();
        registry = new FakeRegistry();
    }

    @AfterEach
    void stop() {
        if (sim != null) {
            sim.close();
        }
        kbs.close();
        registry.close();
    }

    KataNodeConfig.Builder config() {
        return KataNodeConfig.builder(workDir)
                .namespaces(List.of(NS))
                .allowPlainHttpToLoopback(true)
                .registryAuth(RegistryAuth.tokenEndpoint(registry.tokenEndpoint(), FakeRegistry.USER,
                        FakeRegistry.PASSWORD))
                .maxAttempts(2)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(100))
                .requestTimeout(Duration.ofSeconds(10))
                .attemptTimeout(Duration.ofSeconds(60));
    }

    byte[] kek() {
        byte[] k = new byte[32];
        random.nextBytes(k);
        return k;
    }

    /** An image with two encrypted layers (distinct KEKs and key ids) and one plain layer, KEKs stored in the KBS. */
    TestImage encryptedImage(String repo, int corruptDiffId) throws Exception {
        byte[] k0 = kek();
        byte[] k1 = kek();
        String tag = repo.replace('/', '-');
        TestImage img = TestImage.build(repo, List.of(
                TestImage.Layer.encrypted(300_000, "kbs:///default/image-kek/" + tag + "-0", k0),
                TestImage.Layer.plain(20_000),
                TestImage.Layer.encrypted(70_000, "kbs:///default/image-kek/" + tag + "-1", k1)), corruptDiffId);
        registry.add(img);
        kbs.resources.put("default/image-kek/" + tag + "-0", k0);
        kbs.resources.put("default/image-kek/" + tag + "-1", k1);
        return img;
    }

    /** The init-data the orchestrator would write for the image: KBS URL and a policy pinning it, exec denied. */
    InitDataDocument initData(String image) {
        return InitDataDocument.write(CocoInitData.builder().kbsUrl(kbs.uri())
                .policy(AgentPolicy.builder().pinImage(image).build()).build());
    }

    Pod pod(String name, String workload, String image, String annotation) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace(NS)
                .addToLabels(TamperPolicy.WORKLOAD_NAME_LABEL, workload)
                .addToLabels(TamperPolicy.WORKLOAD_ID_LABEL, "id-" + workload)
                .endMetadata()
                .withNewSpec().withRuntimeClassName(RUNTIME_CLASS)
                .addNewContainer().withName("workload").withImage(image).withImagePullPolicy("Always").endContainer()
                .endSpec();
        if (annotation != null) {
            b.editMetadata().addToAnnotations(InitDataAnnotation.KEY, annotation).endMetadata();
        }
        return client.pods().inNamespace(NS).resource(b.build()).create();
    }

    /** What a test deployed: the image and the init-data of its pod {@code <workload>-1}. */
    record Deployed(TestImage img, String image, InitDataDocument doc) {
    }

    /**
     * Builds {@code team/<workload>} ({@link #encryptedImage}), binds the orchestrator-style init-data in the KBS,
     * starts the simulator and creates pod {@code <workload>-1}.
     */
    Deployed deploy(String workload, int corruptDiffId, KataNodeConfig.Builder cfg) throws Exception {
        TestImage img = encryptedImage("team/" + workload, corruptDiffId);
        String image = img.reference(registry.host());
        InitDataDocument doc = initData(image);
        kbs.boundInitData.add(doc.digest().hex());
        sim = KataNodeSimulator.start(client, cfg.build());
        pod(workload + "-1", workload, image, InitDataAnnotation.encode(doc));
        return new Deployed(img, image, doc);
    }

    Pod current(String name) {
        return client.pods().inNamespace(NS).withName(name).get();
    }

    List<Event> events(String pod, String reason) {
        return client.v1().events().inNamespace(NS).list().getItems().stream()
                .filter(e -> e.getInvolvedObject() != null && pod.equals(e.getInvolvedObject().getName()))
                .filter(e -> reason.equals(e.getReason())).toList();
    }

    static Optional<String> condition(Pod p, String type) {
        if (p.getStatus() == null || p.getStatus().getConditions() == null) {
            return Optional.empty();
        }
        return p.getStatus().getConditions().stream().filter(c -> type.equals(c.getType()))
                .map(PodCondition::getStatus).findFirst();
    }

    KataNodeSimulator.PodProgress awaitState(String name, KataNodeSimulator.State state) {
        return await().atMost(Duration.ofSeconds(60)).until(() -> sim.progress(NS, name).orElse(null),
                p -> p != null && p.state() == state);
    }

    ContainerStatus containerStatus(String name) {
        return current(name).getStatus().getContainerStatuses().get(0);
    }

    @Test
    void happyPathAttestsFetchesEachLayersKekDecryptsAndReportsRunningAndReady() throws Exception {
        Deployed d = deploy("app", -1, config());
        TestImage img = d.img();
        InitDataDocument doc = d.doc();

        awaitState("app-1", KataNodeSimulator.State.READY);
        Pod p = current("app-1");
        assertThat(p.getStatus().getPhase()).isEqualTo("Running");
        for (String type : List.of("Ready", "ContainersReady", "Initialized", "PodScheduled")) {
            assertThat(condition(p, type)).as(type).contains("True");
        }
        ContainerStatus cs = p.getStatus().getContainerStatuses().get(0);
        assertThat(cs.getName()).isEqualTo("workload");
        assertThat(cs.getReady()).isTrue();
        assertThat(cs.getState().getRunning()).isNotNull();
        assertThat(cs.getState().getRunning().getStartedAt()).isNotBlank();
        assertThat(cs.getImageID()).isEqualTo(registry.host() + "/team/app@" + img.digest);
        assertThat(p.getStatus().getPodIP()).matches("10\\.244\\.\\d+\\.\\d+");
        assertThat(p.getStatus().getStartTime()).isNotBlank();

        // the KBS saw one RCAR handshake with the annotation's exact init-data, then each layer's KEK id
        assertThat(kbs.auths.get()).isEqualTo(1);
        assertThat(kbs.attests.get()).isEqualTo(1);
        assertThat(kbs.resourceGets).containsExactly("default/image-kek/team-app-0", "default/image-kek/team-app-1");
        FakeKbs.Attested a = kbs.attested.get(0);
        assertThat(a.initDataBody()).isEqualTo(doc.text());
        assertThat(a.initDataDigest()).isEqualTo(doc.digest().hex());
        assertThat(a.evidenceInitData()).isEqualTo(doc.digest().hex());
        assertThat(a.launchDigest()).isNull();

        // the registry was reached with a token for the pull scope, and every blob was fetched once
        assertThat(registry.tokenRequests).containsExactly(new FakeRegistry.TokenRequest(FakeRegistry.USER,
                FakeRegistry.SERVICE, "repository:team/app:pull"));
        assertThat(registry.blobGets).hasSize(4).containsAll(img.layerDigests);

        KataNodeSimulator.Stats stats = sim.stats();
        assertThat(stats.keysFetched()).isEqualTo(2);
        assertThat(stats.layersVerified()).isEqualTo(3);
        assertThat(stats.podsReady()).isEqualTo(1);
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left).as("layer scratch files are deleted").isEmpty();
        }
        assertThat(sim.execAllowed(p)).isFalse();
        assertThat(sim.execRule(p).denialMessage())
                .isEqualTo("ExecProcessRequest is blocked by policy: default ExecProcessRequest := false");
    }

    @Test
    void podWithoutAgentPolicyNeverGetsASandboxAndNeverReachesTheKbs() throws Exception {
        TestImage img = encryptedImage("team/nopolicy", -1);
        String image = img.reference(registry.host());
        InitDataDocument doc = InitDataDocument.write(InitData.builder()
                .put(InitData.AA_TOML, "[token_configs.kbs]\nurl = '" + kbs.uri() + "'\n").build());
        sim = KataNodeSimulator.start(client, config().build());

        pod("nopolicy-1", "nopolicy", image, InitDataAnnotation.encode(doc));

        awaitState("nopolicy-1", KataNodeSimulator.State.GAVE_UP);
        List<Event> events = events("nopolicy-1", "FailedCreatePodSandBox");
        assertThat(events).hasSize(2).allSatisfy(e -> {
            assertThat(e.getType()).isEqualTo("Warning");
            assertThat(e.getSource().getComponent()).isEqualTo("kubelet");
            assertThat(e.getMessage()).startsWith("Failed to create pod sandbox: rpc error: code = Unknown desc = ")
                    .contains("init-data has no policy.rego");
        });
        assertThat(events("nopolicy-1", "Failed")).isEmpty();
        Pod p = current("nopolicy-1");
        assertThat(p.getStatus().getPhase()).isEqualTo("Pending");
        assertThat(condition(p, "Ready")).contains("False");
        assertThat(containerStatus("nopolicy-1").getState().getWaiting().getReason()).isEqualTo("ContainerCreating");
        assertThat(kbs.auths.get()).isZero();
        assertThat(registry.tokenRequests).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void kbsDenialIsARunContainerErrorNamingTheStatusAndIsRetriedABoundedNumberOfTimes(int status) throws Exception {
        kbs.denyStatus = status;
        deploy("denied", -1, config());

        awaitState("denied-1", KataNodeSimulator.State.GAVE_UP);
        ContainerStatus cs = containerStatus("denied-1");
        assertThat(cs.getReady()).isFalse();
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("RunContainerError");
        assertThat(cs.getState().getWaiting().getMessage())
                .contains(ImagePuller.DECRYPT_FAILED)
                .contains("kbs:///default/image-kek/team-denied-0")
                .contains("/kbs/v0/resource/default/image-kek/team-denied-0 -> HTTP " + status
                        + " PolicyDeny: Access denied by policy: test KBS denies every resource");
        assertThat(condition(current("denied-1"), "Ready")).contains("False");
        assertThat(events("denied-1", "Failed")).hasSize(2)
                .allSatisfy(e -> assertThat(e.getMessage()).startsWith("Error: ").contains("HTTP " + status));
        // never spins: 2 attempts; a 401 makes the KBS client re-attest and retry the GET 3 times per attempt
        int getsPerAttempt = status == 401 ? 3 : 1;
        assertThat(kbs.resourceGets).hasSize(2 * getsPerAttempt).containsOnly("default/image-kek/team-denied-0");
        assertThat(kbs.attests.get()).isEqualTo(2 * getsPerAttempt);
    }

    @Test
    void tamperedInitDataAttestsWithADigestThatBindsNoWorkload() throws Exception {
        Deployed d = deploy("tampered", -1, config()
                .tamperPolicy(TamperPolicy.fixed(Map.of("tampered", TamperMode.WRONG_INIT_DATA))));
        InitDataDocument doc = d.doc();

        awaitState("tampered-1", KataNodeSimulator.State.GAVE_UP);
        // the annotation's TOML with its trailing newline turned into a space
        byte[] expectedToml = doc.bytes();
        assertThat(expectedToml[expectedToml.length - 1]).isEqualTo((byte) '\n');
        expectedToml[expectedToml.length - 1] = ' ';
        String expectedDigest = HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest(expectedToml));
        assertThat(kbs.attested).hasSize(2).allSatisfy(a -> {
            assertThat(a.initDataBody()).isEqualTo(new String(expectedToml, StandardCharsets.UTF_8));
            assertThat(a.initDataDigest()).isEqualTo(expectedDigest).isNotEqualTo(doc.digest().hex());
            assertThat(a.evidenceInitData()).isEqualTo(expectedDigest);
        });
        ContainerStatus cs = containerStatus("tampered-1");
        assertThat(cs.getReady()).isFalse();
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("RunContainerError");
        assertThat(cs.getState().getWaiting().getMessage()).contains("HTTP 403")
                .contains("init-data " + expectedDigest + " matches no live workload");
        assertThat(condition(current("tampered-1"), "Ready")).contains("False");
    }

    @Test
    void wrongMeasurementIsReportedAsALaunchDigestNoReferenceValueAllows() throws Exception {
        Path tamperFile = workDir.resolve("tamper.properties");
        Files.writeString(tamperFile, "# demo\nmeasured = wrong-measurement\n");
        Deployed d = deploy("measured", -1, config().maxAttempts(1).tamperPolicy(TamperPolicy.file(tamperFile)));
        InitDataDocument doc = d.doc();

        awaitState("measured-1", KataNodeSimulator.State.GAVE_UP);
        assertThat(kbs.attested).singleElement().satisfies(a -> {
            assertThat(a.launchDigest()).isEqualTo(TamperMode.WRONG_LAUNCH_DIGEST);
            assertThat(a.initDataDigest()).isEqualTo(doc.digest().hex());
        });
        assertThat(containerStatus("measured-1").getState().getWaiting().getMessage())
                .contains("HTTP 403").contains("launch_digest " + TamperMode.WRONG_LAUNCH_DIGEST);
    }

    @Test
    void diffIdMismatchIsARunContainerError() throws Exception {
        Deployed d = deploy("corrupt", 2, config().maxAttempts(1));
        TestImage img = d.img();
        String image = d.image();

        awaitState("corrupt-1", KataNodeSimulator.State.GAVE_UP);
        ContainerStatus cs = containerStatus("corrupt-1");
        assertThat(cs.getReady()).isFalse();
        assertThat(cs.getState().getWaiting().getReason()).isEqualTo("RunContainerError");
        assertThat(cs.getState().getWaiting().getMessage())
                .contains("failed to pull image \"" + image + "\"")
                .contains("layer 2 (" + img.layerDigests.get(2) + ") diff_id mismatch")
                .contains("config rootfs.diff_ids[2] is " + img.diffIds.get(2));
        assertThat(kbs.resourceGets).containsExactly("default/image-kek/team-corrupt-0",
                "default/image-kek/team-corrupt-1");
        assertThat(sim.stats().layersVerified()).isEqualTo(2);
        try (Stream<Path> left = Files.list(workDir)) {
            assertThat(left).as("layer scratch files are deleted on failure too").isEmpty();
        }
    }

    @Test
    void podDeletedMidwayGetsNoWriteAfterwardsAndARecreatedPodIsHandledAgain() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        kbs.holdAuth = hold;
        Deployed d = deploy("deleted", -1, config());
        String image = d.image();
        InitDataDocument doc = d.doc();
        assertThat(kbs.authEntered.await(60, TimeUnit.SECONDS)).isTrue();
        List<RecordedRequest> before = drain();
        assertThat(before).as("the recording works: the ContainerCreating status write is in it")
                .anyMatch(r -> isStatusWrite(r, "deleted-1"));

        client.pods().inNamespace(NS).withName("deleted-1").delete();
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.progress(NS, "deleted-1").isEmpty());
        hold.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> sim.activeAttempts() == 0);
        List<RecordedRequest> after = drain();
        assertThat(after).noneMatch(r -> isStatusWrite(r, "deleted-1"));
        assertThat(after).noneMatch(r -> r.getMethod().equals("POST") && r.getPath().contains("/events"));
        assertThat(kbs.attests.get()).isZero();
        assertThat(kbs.resourceGets).isEmpty();
        assertThat(events("deleted-1", "Failed")).isEmpty();

        kbs.holdAuth = null;
        Pod again = pod("deleted-1", "deleted", image, InitDataAnnotation.encode(doc));
        KataNodeSimulator.PodProgress p = awaitState("deleted-1", KataNodeSimulator.State.READY);
        assertThat(p.uid()).isEqualTo(again.getMetadata().getUid());
        assertThat(p.attempts()).isEqualTo(1);
        assertThat(condition(current("deleted-1"), "Ready")).contains("True");
    }

    @Test
    void anAttemptThatOutlivesTheAttemptTimeoutFailsWithATimeoutText() throws Exception {
        kbs.holdAuth = new CountDownLatch(1); // released by kbs.close()
        deploy("slow", -1, config().maxAttempts(1).attemptTimeout(Duration.ofSeconds(1)));

        awaitState("slow-1", KataNodeSimulator.State.GAVE_UP);
        assertThat(containerStatus("slow-1").getState().getWaiting().getMessage())
                .isEqualTo(GuestFailure.CONTAINER_PREFIX + "CreateContainerRequest timed out after PT1S "
                        + "(context deadline exceeded)");
        assertThat(kbs.attests.get()).isZero();
    }

    @Test
    void podsOfOtherRuntimeClassesAreLeftAlone() throws Exception {
        sim = KataNodeSimulator.start(client, config().build());
        client.pods().inNamespace(NS).resource(new PodBuilder().withNewMetadata().withName("plain").endMetadata()
                .withNewSpec().withRuntimeClassName("runc")
                .addNewContainer().withName("c").withImage("example.org/x@sha256:" + "a".repeat(64)).endContainer()
                .endSpec().build()).create();
        pod("marker", "marker", "example.org/x@sha256:" + "b".repeat(64), null);
        // the marker (a Kata pod without init-data) is handled; by then the informer has seen the plain pod too
        awaitState("marker", KataNodeSimulator.State.GAVE_UP);
        assertThat(sim.progress(NS, "plain")).isEmpty();
        assertThat(current("plain").getStatus()).isNull();
        assertThat(events("marker", "FailedCreatePodSandBox")).first()
                .satisfies(e -> assertThat(e.getMessage()).contains("no init-data annotation " + InitDataAnnotation.KEY));
    }

    List<RecordedRequest> drain() throws InterruptedException {
        List<RecordedRequest> out = new ArrayList<>();
        RecordedRequest r;
        while ((r = server.takeRequest(200, TimeUnit.MILLISECONDS)) != null) {
            out.add(r);
        }
        return out;
    }

    static boolean isStatusWrite(RecordedRequest r, String pod) {
        return !r.getMethod().equals("GET") && r.getPath().contains("/pods/" + pod + "/status");
    }
}
