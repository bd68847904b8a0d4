package io.cocoplane.attestation;

import static io.cocoplane.attestation.TestSupport.JSON;
import static io.cocoplane.attestation.TestSupport.adminToken;
import static io.cocoplane.attestation.TestSupport.b64url;
import static io.cocoplane.attestation.TestSupport.cpu0;
import static io.cocoplane.attestation.TestSupport.completed;
import static io.cocoplane.attestation.TestSupport.get;
import static io.cocoplane.attestation.TestSupport.post;
import static io.cocoplane.attestation.TestSupport.putReferenceValue;
import static io.cocoplane.attestation.TestSupport.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.attestation.core.EarTokenIssuer;
import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.contracts.Topics;
import io.cocoplane.contracts.WorkloadScheduled;
import io.cocoplane.contracts.WorkloadStateChanged;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventingAutoConfiguration;
import io.cocoplane.eventing.test.KafkaTopicReader;
import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;

/**
 * The service over HTTP on a real Kafka broker and PostgreSQL, with the sample TEE enabled: a workload learnt from
 * {@code workload.scheduled} is named in the EAR token and in {@code attestation.completed}; the token verifies
 * against the served JWKS; refusals answer 403 and are published as failed verifications; a real SNP evidence file
 * from the shared corpus is verified with the status the default policy gives.
 */
@TestInfra(schema = "attestation")
@SpringBootTest(classes = AttestationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "cocoplane.attestation.sample-tee.enabled=true")
class AttestationEndToEndTest {

    /** Init-data with an agent policy whose policy_data lists one container (for ear.trustee.identifiers). */
    static final String TOML = """
            version = "0.1.0"
            algorithm = "sha384"
            [data]
            "aa.toml" = '''
            [token_configs.kbs]
            url = "http://127.0.0.1:8081"
            '''
            "policy.rego" = '''
            package agent_policy

            policy_data := {"containers":[{"OCI":{"Annotations":{"io.kubernetes.cri.image-name":"registry.local/llm@sha256:ab"},"Process":{"User":{"UID":1000}}}}]}
            '''
            """;

    @DynamicPropertySource
    static void adminKey(DynamicPropertyRegistry r) {
        r.add("cocoplane.attestation.admin.public-key", TestSupport::adminPublicPem);
    }

    @LocalServerPort
    int port;
    @Autowired
    CloudEventCodec codec;
    @Autowired
    EventingAutoConfiguration.EventingKafka kafka;
    @Autowired
    JdbcTemplate jdbc;
    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    static byte[] sha(String alg, byte[] b) throws Exception {
        return MessageDigest.getInstance(alg).digest(b);
    }

    static String initDigestHex() throws Exception {
        return HexFormat.of().formatHex(sha("SHA-384", TOML.getBytes(StandardCharsets.UTF_8)));
    }

    /** A structured runtime data object as a KBS would send it. */
    static Map<String, Object> runtimeData(String nonce) {
        Map<String, Object> key = new LinkedHashMap<>();
        key.put("kty", "EC");
        key.put("crv", "P-256");
        key.put("alg", "ECDH-ES+A256KW");
        key.put("x", "BMRVGmlgYmSYQqJQkkRx4icz2mVZkMMi2AEVdUhC1ig");
        key.put("y", "ml8MSo2X1sfG7WanQEbov9FSV-RIeonyRRwDilCJJbY");
        return Map.of("nonce", nonce, "tee-pubkey", key, "additional-evidence", "");
    }

    /** Sample evidence bound to the runtime data (SHA-384 of its JCS) and to an init-data digest. */
    static byte[] sampleEvidence(Map<String, Object> runtimeData, String initDataHex) {
        byte[] digest = RuntimeDataHash.digest(HashAlgorithm.SHA384,
                RuntimeDataHash.canonicalize(JSON.valueToTree(runtimeData)));
        return JSON.writeValueAsBytes(Map.of("svn", "1", "report_data", Base64.getEncoder().encodeToString(digest),
                "init_data", initDataHex));
    }

    static String request(String tee, byte[] evidence, Map<String, Object> runtimeData, Map<String, Object> initData) {
        Map<String, Object> vr = new LinkedHashMap<>();
        vr.put("tee", tee);
        vr.put("evidence", b64url(evidence));
        vr.put("runtime_data", runtimeData);
        if (initData != null) {
            vr.put("init_data", initData);
        }
        vr.put("runtime_data_hash_algorithm", "sha384");
        return JSON.writeValueAsString(Map.of("verification_requests", List.of(vr), "policy_ids", List.of()));
    }

    static String evidenceDigest(byte[] evidence) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(sha("SHA-256", evidence));
    }

    Map<String, Object> verifiedClaims(String token) throws Exception {
        return TestSupport.verifiedClaims(port, token);
    }

    void registerSampleReferenceValues() throws Exception {
        putReferenceValue(port, "launch_digest", List.of("abcde"));
        putReferenceValue(port, "svn", List.of("1"));
        putReferenceValue(port, "major_version", 1);
        putReferenceValue(port, "minimum_minor_version", 4);
    }

    void scheduleWorkload(String workloadId, String initDigestHex) throws Exception {
        send(kafka, codec, new WorkloadScheduled(workloadId, "pod-" + workloadId, "default",
                "registry.local/llm@sha256:" + "ab".repeat(32), "sha256:" + "ab".repeat(32), "coco-dev",
                "kata-qemu-coco-dev", initDigestHex, "sha384", List.of("default/kek/1")));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT workload_id FROM workload_binding WHERE workload_id = ?", String.class, workloadId).size() == 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void sampleEvidenceGivesAnAffirmingTokenNamingTheScheduledWorkload() throws Exception {
        registerSampleReferenceValues();
        String initHex = initDigestHex();
        String workloadId = "wl-" + UUID.randomUUID();
        scheduleWorkload(workloadId, initHex);

        Map<String, Object> rd = runtimeData("nonce-" + UUID.randomUUID());
        byte[] evidence = sampleEvidence(rd, initHex);
        HttpResponse<String> r = post(port, "/attestation",
                request("sample", evidence, Map.of("structured", rd), Map.of("init_data_toml", TOML)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);

        Map<String, Object> claims = verifiedClaims(r.body());
        assertThat(claims.get("iss")).isEqualTo("CoCo-Attestation-Service");
        assertThat(claims.get("eat_profile")).isEqualTo(EarTokenIssuer.EAT_PROFILE);
        assertThat(((java.util.Date) claims.get("exp")).getTime() - ((java.util.Date) claims.get("iat")).getTime())
                .isEqualTo(Duration.ofMinutes(5).toMillis());
        Map<String, Object> cpu0 = cpu0(claims);
        assertThat(cpu0.get("ear.status")).isEqualTo("affirming");
        assertThat((Map<String, Object>) cpu0.get("ear.trustworthiness-vector"))
                .containsEntry("executables", 3L).containsEntry("hardware", 2L).containsEntry("configuration", 2L);
        assertThat(cpu0.get("ear.appraisal-policy-id")).isEqualTo("default");
        assertThat(cpu0.get(EarTokenIssuer.WORKLOAD_ID_CLAIM)).isEqualTo(workloadId);
        assertThat((Map<String, Object>) cpu0.get(EarTokenIssuer.INIT_DATA_CLAIM))
                .containsEntry("algorithm", "sha384").containsEntry("digest", initHex);
        Map<String, Object> annotated = (Map<String, Object>) cpu0.get("ear.veraison.annotated-evidence");
        assertThat((Map<String, Object>) annotated.get("sample")).containsEntry("svn", "1");
        assertThat(annotated.get("init_data")).isEqualTo(initHex);
        assertThat((Map<String, Object>) annotated.get("runtime_data_claims")).containsEntry("nonce", rd.get("nonce"));
        assertThat((Map<String, Object>) ((Map<String, Object>) annotated.get("init_data_claims")).get("aa.toml"))
                .containsKey("token_configs");
        Map<String, Object> validated = (Map<String, Object>) ((Map<String, Object>) cpu0
                .get("ear.trustee.identifiers")).get("validated");
        assertThat((List<Object>) validated.get("container_images")).containsExactly("registry.local/llm@sha256:ab");
        assertThat((List<Object>) validated.get("container_uids")).containsExactly(1000L);

        String digest = evidenceDigest(evidence);
        List<AttestationCompleted> events = await().atMost(Duration.ofSeconds(30))
                .until(() -> completed(bootstrap, codec, digest), l -> !l.isEmpty());
        assertThat(events).hasSize(1);
        AttestationCompleted e = events.get(0);
        assertThat(e.workloadId()).isEqualTo(workloadId);
        assertThat(e.status()).isEqualTo("affirming");
        assertThat(e.tee()).isEqualTo("sample");
        assertThat(e.initDataDigest()).isEqualTo(initHex);
        assertThat(e.tokenId()).isEqualTo(claims.get("jti")).isNotNull();
        assertThat(e.failureReason()).isNull();
        assertThat(e.trustVector()).containsEntry("executables", 3).containsEntry("hardware", 2);
    }

    @Test
    void theSameEvidenceWithAWrongInitDataDigestIsRefusedAndPublishedAsFailed() throws Exception {
        Map<String, Object> rd = runtimeData("nonce-" + UUID.randomUUID());
        byte[] evidence = sampleEvidence(rd, initDigestHex());
        byte[] wrong = sha("SHA-384", "another init-data".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> r = post(port, "/attestation",
                request("sample", evidence, Map.of("structured", rd), Map.of("init_data_digest", b64url(wrong))),
                null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(r.headers().firstValue("Content-Type")).hasValueSatisfying(ct ->
                assertThat(ct).startsWith("application/problem+json"));
        JsonNode problem = JSON.readTree(r.body());
        assertThat(problem.get("type").asString())
                .isEqualTo("https://github.com/confidential-containers/kbs/errors/AttestationError");
        assertThat(problem.get("check").asString()).isEqualTo("init_data");
        assertThat(problem.get("detail").asString()).startsWith("Attestation error: ");

        String digest = evidenceDigest(evidence);
        List<AttestationCompleted> events = await().atMost(Duration.ofSeconds(30))
                .until(() -> completed(bootstrap, codec, digest), l -> !l.isEmpty());
        assertThat(events).singleElement().satisfies(e -> {
            assertThat(e.failureReason()).isEqualTo("init_data");
            assertThat(e.status()).isEqualTo("contraindicated");
            assertThat(e.tokenId()).isNull();
            assertThat(e.workloadId()).isNull();
            assertThat(e.trustVector()).isEmpty();
        });
    }

    @Test
    void reportDataNotMatchingTheRuntimeDataIsRefused() throws Exception {
        byte[] evidence = sampleEvidence(runtimeData("the-nonce-the-guest-saw"), initDigestHex());
        HttpResponse<String> r = post(port, "/attestation", request("sample", evidence,
                Map.of("structured", runtimeData("a-different-nonce")), Map.of("init_data_toml", TOML)), null);
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("check").asString()).isEqualTo("report_data");
    }

    @Test
    void aTerminatedWorkloadIsNoLongerNamed() throws Exception {
        String initHex = initDigestHex();
        String workloadId = "wl-gone-" + UUID.randomUUID();
        scheduleWorkload(workloadId, initHex);
        send(kafka, codec, new WorkloadStateChanged(workloadId, "RUNNING", "TERMINATED", null, null));
        await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.queryForList(
                "SELECT workload_id FROM workload_binding WHERE workload_id = ?", String.class, workloadId).isEmpty());
        // other tests may have scheduled workloads with the same digest; remove them so none is named
        jdbc.update("DELETE FROM workload_binding WHERE init_data_digest = ?", initHex);
        Map<String, Object> rd = runtimeData("nonce-" + UUID.randomUUID());
        HttpResponse<String> r = post(port, "/attestation", request("sample", sampleEvidence(rd, initHex),
                Map.of("structured", rd), Map.of("init_data_toml", TOML)), null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> cpu0 = cpu0(verifiedClaims(r.body()));
        assertThat(cpu0).doesNotContainKey(EarTokenIssuer.WORKLOAD_ID_CLAIM)
                .containsKey(EarTokenIssuer.INIT_DATA_CLAIM);
    }

    @Test
    void malformedRequestsAre400ProblemsAndNeverReachTheVerifier() throws Exception {
        assertThat(post(port, "/attestation", "{not json", null).statusCode()).isEqualTo(400);
        assertThat(post(port, "/attestation", "{\"verification_requests\":[]}", null).statusCode()).isEqualTo(400);
        Map<String, Object> rd = runtimeData("n");
        byte[] ev = sampleEvidence(rd, initDigestHex());
        assertThat(post(port, "/attestation", request("cca", ev, Map.of("structured", rd), null), null).statusCode())
                .isEqualTo(400);
        String padded = request("sample", ev, Map.of("structured", rd), null)
                .replace(b64url(ev), Base64.getUrlEncoder().encodeToString(ev) + (ev.length % 3 == 0 ? "==" : ""));
        assertThat(post(port, "/attestation", padded, null).statusCode()).isEqualTo(400);
        HttpResponse<String> noRuntime = post(port, "/attestation", JSON.writeValueAsString(Map.of(
                "verification_requests", List.of(Map.of("tee", "sample", "evidence", b64url(ev))))), null);
        assertThat(noRuntime.statusCode()).isEqualTo(400);
        assertThat(noRuntime.body()).contains("runtime_data");
        HttpResponse<String> badToml = post(port, "/attestation", request("sample", ev, Map.of("structured", rd),
                Map.of("init_data_toml", "algorithm = \"sha-256\"")), null);
        assertThat(badToml.statusCode()).isEqualTo(400);
        HttpResponse<String> unknownPolicy = post(port, "/attestation", JSON.writeValueAsString(Map.of(
                "verification_requests", List.of(Map.of("tee", "sample", "evidence", b64url(ev),
                        "runtime_data", Map.of("structured", rd))), "policy_ids", List.of("nope"))), null);
        assertThat(unknownPolicy.statusCode()).isEqualTo(400);
    }

    @Test
    void theAdminApiNeedsAnEd25519AdminToken() throws Exception {
        String msg = TestSupport.rvpsMessage("snp_bootloader", List.of(10));
        assertThat(post(port, "/api/v1/reference-values/snp_bootloader", msg, null).statusCode()).isEqualTo(401);
        assertThat(post(port, "/api/v1/reference-values/snp_bootloader", msg,
                adminToken(TestSupport.ADMIN, "reader", 300)).statusCode()).isEqualTo(401);
        assertThat(post(port, "/api/v1/reference-values/snp_bootloader", msg,
                adminToken(TestSupport.ed25519(), "admin", 300)).statusCode()).isEqualTo(401);
        assertThat(post(port, "/api/v1/reference-values/snp_bootloader", msg,
                adminToken(TestSupport.ADMIN, "admin", -3600)).statusCode()).isEqualTo(401);
        // the payload must hold exactly the value named in the path
        assertThat(post(port, "/api/v1/reference-values/other", msg, adminToken()).statusCode()).isEqualTo(400);

        String name = "rv-" + UUID.randomUUID();
        HttpResponse<String> ok = post(port, "/api/v1/reference-values/" + name,
                TestSupport.rvpsMessage(name, List.of("x")), adminToken());
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        List<?> rvEvents = await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readKey(bootstrap, Topics.ATTESTATION_EVENTS, name), l -> !l.isEmpty());
        assertThat(rvEvents).hasSize(1);

        String policyId = "p-" + UUID.randomUUID();
        assertThat(post(port, "/api/v1/policies/" + policyId, "{\"rules\":[{\"claim\":\"hardware\",\"value\":2,"
                + "\"when\":\"input.(\"}]}", adminToken()).statusCode()).isEqualTo(400);
        HttpResponse<String> pol = post(port, "/api/v1/policies/" + policyId,
                "{\"defaults\":{\"hardware\":2}}", adminToken());
        assertThat(pol.statusCode()).as(pol.body()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30)).until(
                () -> KafkaTopicReader.readKey(bootstrap, Topics.KEY_EVENTS, policyId), l -> l.size() == 1);

        // the stored policy is used when requested by id
        Map<String, Object> rd = runtimeData("nonce-" + UUID.randomUUID());
        String body = JSON.writeValueAsString(Map.of("verification_requests", List.of(Map.of("tee", "sample",
                "evidence", b64url(sampleEvidence(rd, initDigestHex())), "runtime_data", Map.of("structured", rd))),
                "policy_ids", List.of(policyId)));
        HttpResponse<String> r = post(port, "/attestation", body, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> cpu0 = cpu0(verifiedClaims(r.body()));
        assertThat(cpu0.get("ear.appraisal-policy-id")).isEqualTo(policyId);
        assertThat(cpu0.get("ear.status")).isEqualTo("affirming");
    }

    @Test
    void expiredReferenceValuesAreInvisibleToPolicies() {
        java.time.Instant t0 = java.time.Instant.parse("2030-01-01T00:00:00Z");
        String name = "expiring-" + UUID.randomUUID();
        ReferenceValueStore before = new ReferenceValueStore(jdbc, java.time.Clock.fixed(t0, java.time.ZoneOffset.UTC));
        before.put(name, JSON.valueToTree(List.of("v")), t0.plusSeconds(60), "test");
        assertThat(before.lookup().find(name)).contains(List.of("v"));
        ReferenceValueStore after = new ReferenceValueStore(jdbc,
                java.time.Clock.fixed(t0.plusSeconds(60), java.time.ZoneOffset.UTC));
        assertThat(after.find(name)).isEmpty();
        assertThat(after.lookup().find(name)).isEmpty();
    }

    @Test
    void readinessIncludesTheSigningKey() throws Exception {
        HttpResponse<String> r = get(port, "/actuator/health/readiness");
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode health = JSON.readTree(r.body());
        assertThat(health.at("/components/earSigningKey/status").asString()).isEqualTo("UP");
    }

    @Test
    void syntheticSnpEvidenceIsRefusedWithoutTheDevelopmentTrustAnchor() throws Exception {
        // the evidence HardwareEvidenceEndToEndTest gets a token for, on a service with AMD's roots only
        Map<String, Object> rd = runtimeData("nonce-" + UUID.randomUUID());
        byte[] digest = RuntimeDataHash.digest(HashAlgorithm.SHA384,
                RuntimeDataHash.canonicalize(JSON.valueToTree(rd)));
        byte[] evidence = SyntheticSnp.evidence(digest, new byte[32]);
        HttpResponse<String> r = post(port, "/attestation", request("snp", evidence, Map.of("structured", rd), null),
                null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        assertThat(JSON.readTree(r.body()).get("check").asString()).isEqualTo("cert_chain");
    }

    @Test
    @SuppressWarnings("unchecked")
    void realSnpEvidenceFromTheCorpusGetsTheDefaultPolicyStatus() throws Exception {
        byte[] evidence = Files.readAllBytes(SharedTestData.require("evidence/snp/e2e-evidence-genoa.json"));
        byte[] reportData = HexFormat.of().parseHex("7e7320889600c7ac133aea7b896c51f41026002982292a7369559796999c1bf9"
                + "29eef3ff23c46e858f0b1982f9a92b17c51b578d958cde6b0c92978f150cf9b0");
        String body = request("snp", evidence, Map.of("raw", b64url(reportData)), null);
        HttpResponse<String> r = post(port, "/attestation", body, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        Map<String, Object> cpu0 = cpu0(verifiedClaims(r.body()));
        // no SNP reference values: executables 33, hardware 97, configuration 3 (note 5.1) ⇒ contraindicated
        assertThat(cpu0.get("ear.status")).isEqualTo("contraindicated");
        assertThat((Map<String, Object>) cpu0.get("ear.trustworthiness-vector"))
                .containsEntry("executables", 33L).containsEntry("hardware", 97L).containsEntry("configuration", 3L);
        Map<String, Object> snp = (Map<String, Object>) ((Map<String, Object>) cpu0
                .get("ear.veraison.annotated-evidence")).get("snp");
        assertThat(snp.get("measurement")).isEqualTo(DefaultCpuPolicyParityTest.MEASUREMENT);

        // with the reference values of that machine, the same evidence is affirming
        TestSupport.putSnpReferenceValues(port, DefaultCpuPolicyParityTest.MEASUREMENT);
        HttpResponse<String> again = post(port, "/attestation", body, null);
        assertThat(again.statusCode()).as(again.body()).isEqualTo(200);
        Map<String, Object> cpu0Again = cpu0(verifiedClaims(again.body()));
        assertThat(cpu0Again.get("ear.status")).isEqualTo("affirming");
        assertThat((Map<String, Object>) cpu0Again.get("ear.trustworthiness-vector"))
                .containsEntry("executables", 3L).containsEntry("hardware", 2L).containsEntry("configuration", 2L);

        // a different report data (another nonce) is refused by the SNP verifier
        byte[] other = reportData.clone();
        other[0] ^= 1;
        HttpResponse<String> refused = post(port, "/attestation",
                request("snp", evidence, Map.of("raw", b64url(other)), null), null);
        assertThat(refused.statusCode()).isEqualTo(403);
        assertThat(JSON.readTree(refused.body()).get("check").asString()).isEqualTo("report_data");
    }
}
