package io.cocoplane.attestation;

import static io.cocoplane.attestation.TestSupport.JSON;
import static io.cocoplane.attestation.TestSupport.annotated;
import static io.cocoplane.attestation.TestSupport.b64url;
import static io.cocoplane.attestation.TestSupport.completed;
import static io.cocoplane.attestation.TestSupport.cpu0;
import static io.cocoplane.attestation.TestSupport.post;
import static io.cocoplane.attestation.TestSupport.putReferenceValue;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.cocoplane.attestation.core.EarTokenIssuer;
import io.cocoplane.contracts.AttestationCompleted;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;

/**
 * Hardware-format evidence through {@code POST /attestation} on a real Kafka broker and PostgreSQL (own schema, so the
 * reference values registered here are the only ones), with {@code cocoplane.attestation.development=true}, a private
 * test ARK + ASK in {@code snp.additional-trust-anchors} and, when {@code ../shared/testdata} is present, its TDX
 * directory as {@code tdx.collateral-dir}:
 * <ul>
 *   <li>always: SNP evidence in sev's JSON form signed by the test ARK → ASK → VCEK chain gets the exact status the
 *       default policy gives, before and after the reference values are registered, with the measurement claims;</li>
 *   <li>always: trustee hazard 8 — {@code az-snp-vtpm} evidence with a sha384 or sha512 init-data TOML is a clean 403
 *       {@code init_data} refusal, while a matching sha256 init-data passes;</li>
 *   <li>with the corpus: the Azure SNP and TDX vTPM files and the TDX quotes with their collateral, with the outcomes
 *       and claim values of {@code evidence/MANIFEST.md}.</li>
 * </ul>
 * The same synthetic SNP evidence sent to a service without the extra anchor is refused: see
 * {@code AttestationEndToEndTest#syntheticSnpEvidenceIsRefusedWithoutTheDevelopmentTrustAnchor}.
 */
@TestInfra(schema = "attestation_hw")
class HardwareEvidenceEndToEndTest {

    static final HexFormat HEX = HexFormat.of();
    static final byte[] CHALLENGE = "challenge".getBytes(StandardCharsets.US_ASCII);

    @TempDir
    static Path dir;
    static ConfigurableApplicationContext ctx;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        // command-line arguments: they outrank application.yml (which sets development: false)
        List<String> args = new java.util.ArrayList<>(List.of("--cocoplane.attestation.development=true",
                "--cocoplane.attestation.snp.additional-trust-anchors=" + SyntheticSnp.writeAnchorPem(dir)));
        SharedTestData.root().ifPresent(r -> args.add("--cocoplane.attestation.tdx.collateral-dir="
                + r.resolve("evidence/tdx")));
        ctx = new SpringApplicationBuilder(AttestationApplication.class)
                .properties(Map.of("cocoplane.attestation.admin.public-key", TestSupport.adminPublicPem()))
                .run(args.toArray(String[]::new));
        port = Integer.parseInt(ctx.getEnvironment().getProperty("local.server.port"));
    }

    @AfterAll
    static void stop() {
        if (ctx != null) {
            ctx.close();
        }
    }

    static byte[] sha(String alg, byte[] b) throws Exception {
        return MessageDigest.getInstance(alg).digest(b);
    }

    static String toml(String algorithm) {
        return """
                version = "0.1.0"
                algorithm = "%s"
                [data]
                "aa.toml" = '''
                [token_configs.kbs]
                url = "http://127.0.0.1:8081"
                '''
                """.formatted(algorithm);
    }

    static Map<String, Object> rawRuntimeData(byte[] reportData) {
        return Map.of("raw", b64url(reportData));
    }

    static HttpResponse<String> attest(String tee, byte[] evidence, Map<String, Object> runtimeData,
                                       Map<String, Object> initData) throws Exception {
        return post(port, "/attestation", AttestationEndToEndTest.request(tee, evidence, runtimeData, initData), null);
    }

    static Map<String, Object> cpu0Of(HttpResponse<String> r) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return cpu0(TestSupport.verifiedClaims(port, r.body()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> vector(Map<String, Object> cpu0) {
        return (Map<String, Object>) cpu0.get("ear.trustworthiness-vector");
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> teeClaims(Map<String, Object> cpu0, String tee) {
        return (Map<String, Object>) annotated(cpu0).get(tee);
    }

    static JsonNode refusal(HttpResponse<String> r) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(403);
        return JSON.readTree(r.body());
    }

    @Test
    @SuppressWarnings("unchecked")
    void syntheticSnpEvidenceUnderTheExtraArkGetsTheDefaultPolicyStatus() throws Exception {
        Map<String, Object> rd = AttestationEndToEndTest.runtimeData("nonce-" + UUID.randomUUID());
        byte[] rdDigest = RuntimeDataHash.digest(HashAlgorithm.SHA384,
                RuntimeDataHash.canonicalize(JSON.valueToTree(rd)));
        String toml = toml("sha256");
        byte[] initDigest = sha("SHA-256", toml.getBytes(StandardCharsets.UTF_8));
        byte[] evidence = SyntheticSnp.evidence(rdDigest, initDigest);
        Map<String, Object> structured = Map.of("structured", rd);
        Map<String, Object> init = Map.of("init_data_toml", toml);

        // no reference values: trustee's default_cpu gives executables 33, hardware 97, configuration 3
        Map<String, Object> first = cpu0Of(attest("snp", evidence, structured, init));
        assertThat(first.get("ear.status")).isEqualTo("contraindicated");
        assertThat(vector(first)).containsEntry("executables", 33L).containsEntry("hardware", 97L)
                .containsEntry("configuration", 3L);
        Map<String, Object> snp = teeClaims(first, "snp");
        assertThat(snp).containsEntry("measurement", SyntheticSnp.MEASUREMENT)
                .containsEntry("chip_id", SyntheticSnp.CHIP_ID).containsEntry("reported_tcb_bootloader", 10L)
                .containsEntry("reported_tcb_tee", 0L).containsEntry("reported_tcb_snp", 23L)
                .containsEntry("reported_tcb_microcode", 25L).containsEntry("policy_debug_allowed", false)
                .doesNotContainKey("vlek_expired");
        assertThat(annotated(first).get("report_data")).isEqualTo(HEX.formatHex(Arrays.copyOf(rdDigest, 64)));
        assertThat(annotated(first).get("init_data")).isEqualTo(HEX.formatHex(initDigest));
        assertThat((Map<String, Object>) annotated(first).get("runtime_data_claims")).containsEntry("nonce",
                rd.get("nonce"));
        assertThat((Map<String, Object>) first.get(EarTokenIssuer.INIT_DATA_CLAIM))
                .containsEntry("algorithm", "sha256").containsEntry("digest", HEX.formatHex(initDigest));

        // the reference values of this (synthetic) machine: affirming
        TestSupport.putSnpReferenceValues(port, SyntheticSnp.MEASUREMENT);
        Map<String, Object> second = cpu0Of(attest("snp", evidence, structured, init));
        assertThat(second.get("ear.status")).isEqualTo("affirming");
        assertThat(vector(second)).containsEntry("executables", 3L).containsEntry("hardware", 2L)
                .containsEntry("configuration", 2L);

        // both verifications are published with the measurement and the verified init-data digest
        CloudEventCodec codec = ctx.getBean(CloudEventCodec.class);
        String bootstrap = ctx.getEnvironment().getProperty("spring.kafka.bootstrap-servers");
        String digest = AttestationEndToEndTest.evidenceDigest(evidence);
        List<AttestationCompleted> events = await().atMost(Duration.ofSeconds(30))
                .until(() -> completed(bootstrap, codec, digest), l -> l.size() >= 2);
        assertThat(events).extracting(AttestationCompleted::status)
                .containsExactly("contraindicated", "affirming");
        assertThat(events).allSatisfy(e -> {
            assertThat(e.tee()).isEqualTo("snp");
            assertThat(e.measurement()).isEqualTo(SyntheticSnp.MEASUREMENT);
            assertThat(e.initDataDigest()).isEqualTo(HEX.formatHex(initDigest));
            assertThat(e.failureReason()).isNull();
        });

        // another nonce than the one in REPORT_DATA, another init-data than HOST_DATA: refused
        assertThat(refusal(attest("snp", evidence, Map.of("structured",
                AttestationEndToEndTest.runtimeData("other")), init)).get("check").asString()).isEqualTo("report_data");
        assertThat(refusal(attest("snp", evidence, structured, Map.of("init_data_toml", toml("sha384"))))
                .get("check").asString()).isEqualTo("init_data");
    }

    @Test
    void hazard8AzureInitDataOtherThanSha256IsACleanRefusal() throws Exception {
        Map<String, Object> rd = AttestationEndToEndTest.runtimeData("nonce-" + UUID.randomUUID());
        byte[] nonce = RuntimeDataHash.digest(HashAlgorithm.SHA384, RuntimeDataHash.canonicalize(JSON.valueToTree(rd)));
        String sha256Toml = toml("sha256");
        byte[] ext = new byte[64];
        System.arraycopy(sha("SHA-256", sha256Toml.getBytes(StandardCharsets.UTF_8)), 0, ext, 32, 32);
        byte[] pcr8 = sha("SHA-256", ext); // PCR8 = SHA-256(0^32 || sha256 init-data digest), as the paravisor extends
        byte[] evidence = SyntheticSnp.azureEvidence(nonce, pcr8);

        for (String alg : new String[] {"sha384", "sha512"}) {
            HttpResponse<String> r = attest("az-snp-vtpm", evidence, Map.of("structured", rd),
                    Map.of("init_data_toml", toml(alg)));
            JsonNode problem = refusal(r);
            assertThat(problem.get("check").asString()).as(alg).isEqualTo("init_data");
            assertThat(problem.get("detail").asString()).as(alg).contains("only a 32-byte (sha256) digest can match");
        }
        // a bare 48-byte digest too
        JsonNode bare = refusal(attest("az-snp-vtpm", evidence, Map.of("structured", rd),
                Map.of("init_data_digest", b64url(new byte[48]))));
        assertThat(bare.get("check").asString()).isEqualTo("init_data");

        // the same evidence with the sha256 init-data it was launched with passes
        Map<String, Object> ok = cpu0Of(attest("az-snp-vtpm", evidence, Map.of("structured", rd),
                Map.of("init_data_toml", sha256Toml)));
        assertThat(ok.get("ear.status")).isEqualTo("contraindicated"); // synthetic measurement and TCB are not approved
        assertThat(annotated(ok).get("init_data")).isEqualTo(HEX.formatHex(pcr8));
        assertThat(annotated(ok).get("report_data")).isEqualTo(HEX.formatHex(nonce));
        assertThat(teeClaims(ok, "az-snp-vtpm")).containsEntry("measurement",
                Base64.getEncoder().encodeToString(HEX.parseHex(SyntheticSnp.MEASUREMENT)));
        // trustee's restful spelling of the TEE name is accepted too (kbs-attestation.md 9)
        Map<String, Object> restful = cpu0Of(attest("azsnpvtpm", evidence, Map.of("structured", rd),
                Map.of("init_data_toml", sha256Toml)));
        assertThat(teeClaims(restful, "az-snp-vtpm")).isEqualTo(teeClaims(ok, "az-snp-vtpm"));
    }

    static byte[] corpus(String rel) throws Exception {
        return Files.readAllBytes(SharedTestData.require("evidence/" + rel));
    }

    @Test
    @SuppressWarnings("unchecked")
    void realAzureSnpVtpmEvidenceAsTheManifestSays() throws Exception {
        String measurementV1 = "6a063be9dd79f6371c842e480f8dc3b5c725961344e57130e88c5adf49e8f7f6c79b75a5eb77fc769959f4aeb2f9401e";
        // file, nonce (TPM extraData), MANIFEST pcr00
        Object[][] files = {
            {"evidence-v0.json", CHALLENGE, "e15c44796beabf46abcec7c57e590942041e47497e4ec27571c8b7664f48dced"},
            {"evidence-v1.json", CHALLENGE, "e15c44796beabf46abcec7c57e590942041e47497e4ec27571c8b7664f48dced"},
            {"evidence-v2.json", HEX.parseHex("982f5c6e45df0ed3f10b6f60b02f0c8390e281300f3805e2279c16168cd6ae9aa398f"
                    + "647caa2338748cd0fd9f5f819ef"), "84275b2f4312cd4fc6cbe6b152ad3c3683e513d9f1e23c34fca160c8cca7a6a7"},
            {"evidence-genoa.json", HEX.parseHex("0218488bae25d2509232bf676f1a66a30d7372add909109b36016ef136f2938ca054"
                    + "75f8b46094de6b64270ea35d950f"), "afd689d0bb1c5f36f023fbaf574135f555a28a10c1f6b938d2a25e70c7783338"},
        };
        Map<String, Object> v1 = null;
        for (Object[] f : files) {
            byte[] ev = corpus("az-snp-vtpm/" + f[0]);
            Map<String, Object> cpu0 = cpu0Of(attest("az-snp-vtpm", ev, rawRuntimeData((byte[]) f[1]), null));
            assertThat(cpu0.get("ear.status")).as((String) f[0]).isEqualTo("contraindicated");
            Map<String, Object> az = teeClaims(cpu0, "az-snp-vtpm");
            assertThat(((Map<String, Object>) az.get("tpm")).get("pcr00")).as((String) f[0]).isEqualTo(f[2]);
            assertThat(annotated(cpu0).get("report_data")).as((String) f[0]).isEqualTo(HEX.formatHex((byte[]) f[1]));
            if (f[0].equals("evidence-v1.json")) {
                v1 = az;
                assertThat(az).containsEntry("measurement", Base64.getEncoder().encodeToString(HEX.parseHex(measurementV1)))
                        .containsEntry("reported_tcb_bootloader", "4").containsEntry("reported_tcb_tee", "0")
                        .containsEntry("reported_tcb_snp", "24").containsEntry("reported_tcb_microcode", "219");
                String digest = AttestationEndToEndTest.evidenceDigest(ev);
                List<AttestationCompleted> events = await().atMost(Duration.ofSeconds(30)).until(() -> completed(
                        ctx.getEnvironment().getProperty("spring.kafka.bootstrap-servers"),
                        ctx.getBean(CloudEventCodec.class), digest), l -> !l.isEmpty());
                assertThat(events.get(0).measurement()).isEqualTo(measurementV1);
                assertThat(events.get(0).tee()).isEqualTo("az-snp-vtpm");
            }
        }
        // the MANIFEST's refusal: another nonce
        assertThat(refusal(attest("az-snp-vtpm", corpus("az-snp-vtpm/evidence-v2.json"),
                rawRuntimeData(HEX.parseHex("123abc")), null)).get("check").asString()).isEqualTo("report_data");
        // hazard 8 on real evidence: sha384 init-data is a clean refusal
        assertThat(refusal(attest("az-snp-vtpm", corpus("az-snp-vtpm/evidence-v1.json"), rawRuntimeData(CHALLENGE),
                Map.of("init_data_toml", toml("sha384")))).get("check").asString()).isEqualTo("init_data");

        // default_cpu's az-snp-vtpm rules with trustee's reference-value names and Azure's string-valued claims:
        // measurement and TCB from the MANIFEST; PCR11 and the configuration values as this VM reports them
        putReferenceValue(port, "measurement", List.of(v1.get("measurement")));
        putReferenceValue(port, "snp_pcr11", List.of(((Map<String, Object>) v1.get("tpm")).get("pcr11")));
        putReferenceValue(port, "tcb_bootloader", List.of("4"));
        putReferenceValue(port, "tcb_tee", List.of("0"));
        putReferenceValue(port, "tcb_snp", List.of("24"));
        putReferenceValue(port, "tcb_microcode", List.of("219"));
        for (String[] c : new String[][] {{"smt_enabled", "platform_smt_enabled"},
                {"tsme_enabled", "platform_tsme_enabled"}, {"abi_major", "policy_abi_major"},
                {"abi_minor", "policy_abi_minor"}, {"single_socket", "policy_single_socket"},
                {"smt_allowed", "policy_smt_allowed"}}) {
            putReferenceValue(port, c[0], List.of(v1.get(c[1])));
        }
        Map<String, Object> approved = cpu0Of(attest("az-snp-vtpm", corpus("az-snp-vtpm/evidence-v1.json"),
                rawRuntimeData(CHALLENGE), null));
        assertThat(approved.get("ear.status")).isEqualTo("affirming");
        assertThat(vector(approved)).containsEntry("executables", 3L).containsEntry("hardware", 2L)
                .containsEntry("configuration", 2L);
    }

    @Test
    @SuppressWarnings("unchecked")
    void realAzureTdxVtpmEvidenceVerifiesOfflineWithTcbStatusUnknown() throws Exception {
        for (String f : new String[] {"evidence-v0.json", "evidence-v1.json"}) {
            Map<String, Object> cpu0 = cpu0Of(attest("az-tdx-vtpm", corpus("az-tdx-vtpm/" + f),
                    rawRuntimeData(CHALLENGE), null));
            assertThat(cpu0.get("ear.status")).as(f).isEqualTo("contraindicated");
            Map<String, Object> az = teeClaims(cpu0, "az-tdx-vtpm");
            assertThat(((Map<String, Object>) az.get("tpm")).get("pcr00")).as(f)
                    .isEqualTo("782b20b10f55cc46e2142cc2145d548698073e5beb82752c8d7f9279f0d8a273");
            // the corpus collateral is for another FMSPC (00a06d080000), this platform is 00806f050000
            assertThat(az).as(f).containsEntry("tcb_status", "Unknown").containsEntry("collateral_missing", true);
            assertThat(((Map<String, Object>) ((Map<String, Object>) az.get("quote")).get("body")).get("mr_td"))
                    .isEqualTo("024a32b070383331181619fa387cb4d55d1e38879f989933055ccad5bc2db795d1737b66205949d15469dc8"
                            + "c1ba7ab7b");
            assertThat(annotated(cpu0).get("report_data")).as(f).isEqualTo("6368616c6c656e6765");
        }
        assertThat(refusal(attest("az-tdx-vtpm", corpus("az-tdx-vtpm/evidence-v1.json"), rawRuntimeData(new byte[9]),
                null)).get("check").asString()).isEqualTo("report_data");
        assertThat(refusal(attest("az-tdx-vtpm", corpus("az-tdx-vtpm/evidence-v1.json"), rawRuntimeData(CHALLENGE),
                Map.of("init_data_toml", toml("sha512")))).get("check").asString()).isEqualTo("init_data");
    }

    @Test
    @SuppressWarnings("unchecked")
    void realTdxQuotesGetTheirTcbStatusFromTheCollateralDirectory() throws Exception {
        byte[] q6 = corpus("tdx/tdx_quote_6.dat");
        byte[] mrConfigId = HEX.parseHex("889abf4718f037e38d74464c11e7c91a6e9890b5546409e1e7df9de7a51ca93152bf847bd"
                + "2440328e90adb18b150ed67");
        Map<String, Object> cpu0 = cpu0Of(attest("tdx", q6, rawRuntimeData(Arrays.copyOfRange(q6, 568, 632)),
                Map.of("init_data_digest", b64url(mrConfigId))));
        Map<String, Object> tdx = teeClaims(cpu0, "tdx");
        // MANIFEST: OutOfDate (platform level 2), tcb_date 2018-01-04; the collateral's nextUpdate 2025-11-26 is past
        assertThat(tdx).containsEntry("tcb_status", "OutOfDate").containsEntry("tcb_date", "2018-01-04T00:00:00Z")
                .containsEntry("collateral_expiration_status", "1").doesNotContainKey("collateral_missing");
        Map<String, Object> body = (Map<String, Object>) ((Map<String, Object>) tdx.get("quote")).get("body");
        assertThat(body.get("mr_td")).isEqualTo("21e8dead92d6c69d7cbba79816686c03a48485c7df0c11f6f04792d5e1d378f6b8c"
                + "46615ba6946adccac6becffbb1e88");
        assertThat(annotated(cpu0).get("init_data")).isEqualTo(HEX.formatHex(mrConfigId));
        assertThat((Map<String, Object>) cpu0.get(EarTokenIssuer.INIT_DATA_CLAIM))
                .containsEntry("algorithm", "sha384").containsEntry("digest", HEX.formatHex(mrConfigId));
        assertThat(cpu0.get("ear.status")).isEqualTo("contraindicated");
        assertThat(vector(cpu0)).containsEntry("hardware", 97L);

        byte[] q4 = corpus("tdx/tdx_quote_4.dat");
        Map<String, Object> c4 = cpu0Of(attest("tdx", q4, rawRuntimeData(Arrays.copyOfRange(q4, 568, 632)), null));
        assertThat(teeClaims(c4, "tdx")).containsEntry("tcb_status", "Unknown").containsEntry("collateral_missing", true);
        assertThat((Map<String, Object>) teeClaims(c4, "tdx").get("td_attributes")).containsEntry("debug", true);
        // DEBUG=1: configuration stays 36 (MANIFEST)
        assertThat(vector(c4)).containsEntry("configuration", 36L);
    }
}
