package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.KbsErrorResponseException;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.kbsprotocol.Tee;
import io.cocoplane.keybroker.domain.ReleasePolicy;
import tools.jackson.databind.JsonNode;

/** The admin API: authentication, role rules, metadata-only listing, CEL policy, pass-through, events. */
class AdminApiTest extends KeyBrokerTestBase {

    @Test
    void writesNeedAValidAdminTokenWithAnAllowedRole() throws Exception {
        String path = "adm/key/" + unique("a");
        HttpResponse<String> none = send("POST", "/kbs/v0/resource/" + path, new byte[] {1});
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(variant(none)).isEqualTo("AdminAuthAccess");
        var stranger = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        assertThat(send("POST", "/kbs/v0/resource/" + path, new byte[] {1}, "Authorization",
                "Bearer " + adminToken("admin", stranger, Instant.now().plusSeconds(60))).statusCode()).isEqualTo(401);
        assertThat(send("POST", "/kbs/v0/resource/" + path, new byte[] {1}, "Authorization",
                "Bearer " + adminToken("admin", ADMIN_KEY, Instant.now().minusSeconds(120))).statusCode())
                .isEqualTo(401);
        HttpResponse<String> auditor = send("POST", "/kbs/v0/resource/" + path, new byte[] {1}, "Authorization",
                "Bearer " + adminToken("auditor"));
        assertThat(auditor.statusCode()).isEqualTo(403);
        assertThat(auditor.body()).contains("role auditor is not allowed");
        // hazard 13 (trustee matched regex_acl against the URI with its query): the rules see the path only, so a
        // query naming the auditor's endpoint opens nothing, and a query does not close the auditor's own endpoint
        HttpResponse<String> smuggled = send("POST", "/kbs/v0/resource/" + path + "?next=/kbs/v0/resources",
                new byte[] {1}, "Authorization", "Bearer " + adminToken("auditor"));
        assertThat(smuggled.statusCode()).isEqualTo(403);
        assertThat(send("GET", "/kbs/v0/resources?x=/kbs/v0/resource/" + path, null, "Authorization",
                "Bearer " + adminToken("auditor")).statusCode()).isEqualTo(200);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kbs_resource WHERE path = ?", Long.class, path))
                .isZero();
    }

    @Test
    void listingShowsMetadataNeverValuesAndEventsCarryNoValue() {
        String path = "adm/key/" + unique("list");
        byte[] v1 = "first-secret-value".getBytes(StandardCharsets.UTF_8);
        byte[] v2 = "second-secret-value!".getBytes(StandardCharsets.UTF_8);
        putSecret(path, v1);
        putSecret(path, v2);
        HttpResponse<String> r = send("GET", "/kbs/v0/resources", null, "Authorization",
                "Bearer " + adminToken("auditor"));
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode entry = null;
        for (JsonNode n : JSON.readTree(r.body())) {
            if (path.equals(n.get("path").asString())) {
                entry = n;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(entry.propertyNames()).containsExactly("path", "version", "size", "updatedAt", "updatedBy");
        assertThat(entry.get("version").asLong()).isEqualTo(2);
        assertThat(entry.get("size").asLong()).isEqualTo(v2.length);
        assertThat(entry.get("updatedBy").asString()).isEqualTo("tester-admin");
        assertThat(r.body()).doesNotContain("secret-value");
        List<JsonNode> updates = keyEvents(path, EventCatalog.KEY_RESOURCE_UPDATED, 2);
        assertThat(updates.toString()).doesNotContain("secret-value");
        assertThat(jdbc.queryForList("SELECT ciphertext FROM kbs_resource_version WHERE path = ?", byte[].class, path))
                .allSatisfy(ct -> assertThat(new String(ct, StandardCharsets.ISO_8859_1)).doesNotContain("secret-value"));

        assertThat(send("DELETE", "/kbs/v0/resource/" + path, null, "Authorization",
                "Bearer " + adminToken("admin")).statusCode()).isEqualTo(200);
        assertThat(keyEvents(path, EventCatalog.KEY_RESOURCE_DELETED, 1).get(0).get("deletedBy").asString())
                .isEqualTo("tester-admin");
        assertThat(send("DELETE", "/kbs/v0/resource/" + path, null, "Authorization",
                "Bearer " + adminToken("admin")).statusCode()).isEqualTo(404);
    }

    @Test
    void theResourcePolicyIsCelAndItsChangeIsAnEvent() {
        String wl = unique("wl");
        String path = "adm/policy/" + unique("p");
        putSecret(path, "p".getBytes(StandardCharsets.UTF_8));
        InitData init = initData(wl);
        schedule(wl, digest(init), "sha256:" + "f".repeat(64), List.of(path));

        HttpResponse<String> bad = setPolicy("ear[\"ear.status\"] ==");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(variant(bad)).isEqualTo("ParsePolicyError");

        String denyThisPath = "resource.path != \"" + path + "\" && (" + ReleasePolicy.DEFAULT + ")";
        try {
            HttpResponse<String> ok = setPolicy(denyThisPath);
            assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
            JsonNode event = keyEvents("resource-policy", EventCatalog.POLICY_UPDATED, 1).stream()
                    .filter(e -> e.get("contentDigest").asString().equals(ReleasePolicy.sha256(denyThisPath)))
                    .findFirst().orElseThrow();
            assertThat(event.get("kind").asString()).isEqualTo("resource");
            KbsClient c = KbsClient.builder(base(), new TestEvidenceProvider(Tee.SNP, digest(init))).initData(init)
                    .build();
            try {
                c.getResource(ResourcePath.parse(path));
                throw new AssertionError("released despite the policy");
            } catch (KbsErrorResponseException e) {
                assertThat(e.statusCode()).isEqualTo(403);
            }
        } finally {
            assertThat(setPolicy(ReleasePolicy.DEFAULT).statusCode()).isEqualTo(200);
        }
    }

    private HttpResponse<String> setPolicy(String cel) {
        return send("POST", "/kbs/v0/resource-policy", ("{\"policy\":\"" + b64u(cel.getBytes(StandardCharsets.UTF_8))
                + "\"}").getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + adminToken("admin"),
                "Content-Type", "application/json");
    }

    @Test
    void attestationPoliciesArePassedThroughWithTheCallersBearer() {
        String token = adminToken("admin");
        String body = "{\"type\":\"cel\",\"policy_id\":\"default_cpu\",\"policy\":\"dHJ1ZQ\"}";
        HttpResponse<String> r = send("POST", "/kbs/v0/attestation-policy", body.getBytes(StandardCharsets.UTF_8),
                "Authorization", "Bearer " + token, "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        StubAttestationService.AdminCall call = AS.adminCalls.stream()
                .filter(c -> c.path().equals("/api/v1/policies/default_cpu")).reduce((a, b) -> b).orElseThrow();
        assertThat(call.authorization()).isEqualTo("Bearer " + token);
        assertThat(call.body()).isEqualTo(body);
        assertThat(keyEvents("default_cpu", EventCatalog.POLICY_UPDATED, 1).get(0).get("kind").asString())
                .isEqualTo("attestation");
        HttpResponse<String> rv = send("POST", "/kbs/v0/reference-value/snp_launch_measurement",
                "{\"version\":\"0.1.0\"}".getBytes(StandardCharsets.UTF_8), "Authorization", "Bearer " + token);
        assertThat(rv.statusCode()).isEqualTo(200);
        assertThat(AS.adminCalls).anyMatch(c -> c.path().equals("/api/v1/reference-values/snp_launch_measurement"));
    }

    @Test
    void oversizedResourcesAre413() {
        HttpResponse<String> r = send("POST", "/kbs/v0/resource/adm/key/big", new byte[1024 * 1024 + 1],
                "Authorization", "Bearer " + adminToken("admin"));
        assertThat(r.statusCode()).isEqualTo(413);
    }
}
