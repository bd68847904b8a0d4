package io.cocoplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.charset.StandardCharsets;
import java.security.Signature;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import io.cocoplane.gateway.StubUpstreams.Answer;
import io.cocoplane.gateway.StubUpstreams.Received;

/** Routing to stub upstreams: admin writes with the gateway's EdDSA credential, reads relayed, failures as 502/504. */
class UpstreamRoutingTest extends GatewayTestBase {

    /** Verifies an admin JWT as the key broker would: Ed25519 signature with the configured public key, claims. */
    static JWTClaimsSet verifyAdminJwt(String authorization, String expectedSubject) throws Exception {
        assertThat(authorization).startsWith("Bearer ");
        SignedJWT jwt = SignedJWT.parse(authorization.substring("Bearer ".length()));
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("EdDSA");
        String[] parts = jwt.getParsedString().split("\\.");
        Signature v = Signature.getInstance("Ed25519");
        v.initVerify(ADMIN_KEY.getPublic());
        v.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(v.verify(Base64.getUrlDecoder().decode(parts[2]))).as("Ed25519 signature").isTrue();
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getStringClaim("role")).isEqualTo("admin");
        assertThat(c.getSubject()).isEqualTo(expectedSubject);
        assertThat(c.getExpirationTime().toInstant()).isAfter(Instant.now())
                .isBefore(Instant.now().plusSeconds(120));
        return c;
    }

    @Test
    void secretPutArrivesAtTheKeyBrokerWithAValidEdDsaAdminJwtAndTheBytesIntact() throws Exception {
        String path = "default/key/kek-" + UUID.randomUUID();
        StubUpstreams.on("POST /kbs/v0/resource/" + path, new Answer(200, "text/plain", new byte[0], 0));
        byte[] value = new byte[4096];
        for (int i = 0; i < value.length; i++) {
            value[i] = (byte) (i * 31 + 7); // every byte value, not valid UTF-8
        }
        String subject = TestTokens.subject();
        mvc.perform(put("/api/v1/secrets/" + path).contentType(MediaType.APPLICATION_OCTET_STREAM).content(value)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token(subject, "admin")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.path").value(path))
                .andExpect(jsonPath("$.size").value(4096));
        List<Received> got = StubUpstreams.received("POST", "/kbs/v0/resource/" + path);
        assertThat(got).hasSize(1);
        assertThat(got.get(0).body()).isEqualTo(value);
        assertThat(got.get(0).contentType()).isEqualTo("application/octet-stream");
        verifyAdminJwt(got.get(0).authorization(), subject);
    }

    @Test
    void secretDeleteIsForwardedAndAnUnknownSecretIs404() throws Exception {
        String path = "default/key/gone-" + UUID.randomUUID();
        StubUpstreams.on("DELETE /kbs/v0/resource/" + path, new Answer(204, "text/plain", new byte[0], 0));
        String subject = TestTokens.subject();
        mvc.perform(delete("/api/v1/secrets/" + path)
                        .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token(subject, "admin")))
                .andExpect(status().isNoContent());
        verifyAdminJwt(StubUpstreams.received("DELETE", "/kbs/v0/resource/" + path).get(0).authorization(), subject);

        mvc.perform(delete("/api/v1/secrets/default/key/never-" + UUID.randomUUID())
                        .header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                .andExpect(status().isNotFound())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void secretPathsOutsideTheGrammarNeverReachTheKeyBroker() throws Exception {
        for (String bad : List.of("/api/v1/secrets/.hidden/key/x", "/api/v1/secrets/default/key/a..b",
                "/api/v1/secrets/default/key/a%20b")) {
            mvc.perform(put(bad).content("v").header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                    .andExpect(status().isBadRequest())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        }
    }

    @Test
    void secretListKeepsOnlyMetadataFields() throws Exception {
        StubUpstreams.on("GET /kbs/v0/resources", Answer.json(200, """
                {"resources":[{"path":"default/key/model","version":3,"size":32,"updatedAt":"2026-01-01T00:00:00Z",
                 "value":"c2VjcmV0LXZhbHVl","ciphertext":"AAAA"}]}"""));
        mvc.perform(get("/api/v1/secrets").header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.resources[0].path").value("default/key/model"))
                .andExpect(jsonPath("$.resources[0].version").value(3))
                .andExpect(jsonPath("$.resources[0].size").value(32))
                .andExpect(jsonPath("$.resources[0].value").doesNotExist())
                .andExpect(jsonPath("$.resources[0].ciphertext").doesNotExist());
    }

    @Test
    void workloadReadRelaysTheOrchestratorsJson() throws Exception {
        String id = UUID.randomUUID().toString();
        String doc = "{\"id\":\"" + id + "\",\"state\":\"RUNNING\",\"pod\":\"llm-chat-0\"}";
        StubUpstreams.on("GET /api/v1/workloads/" + id, Answer.json(200, doc));
        mvc.perform(get("/api/v1/workloads/" + id).header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(content().json(doc, org.springframework.test.json.JsonCompareMode.STRICT));
        mvc.perform(get("/api/v1/workloads/" + UUID.randomUUID()).header(HttpHeaders.AUTHORIZATION,
                        bearer("deployer")))
                .andExpect(status().isNotFound());
        mvc.perform(get("/api/v1/workloads/not-a-uuid").header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isBadRequest());
    }

    @Test
    void workloadListForwardsTheQuery() throws Exception {
        StubUpstreams.on("GET /api/v1/workloads", Answer.json(200, "{\"items\":[]}"));
        mvc.perform(get("/api/v1/workloads?state=RUNNING&limit=5").header(HttpHeaders.AUTHORIZATION,
                        bearer("deployer")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.items").isArray());
        List<Received> got = StubUpstreams.received("GET", "/api/v1/workloads");
        assertThat(got.get(got.size() - 1).query()).isEqualTo("state=RUNNING&limit=5");
    }

    @Test
    void imageReadsKeepSlashesInTheRepositoryAndRefuseTraversal() throws Exception {
        StubUpstreams.on("GET /api/v1/images/team/llm/chat", Answer.json(200, "{\"repository\":\"team/llm/chat\"}"));
        mvc.perform(get("/api/v1/images/team/llm/chat").header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.repository").value("team/llm/chat"));
        mvc.perform(get("/api/v1/images/team/../../kbs").header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().is4xxClientError());
        StubUpstreams.on("GET /api/v1/images", Answer.json(200, "{\"repositories\":[\"team/llm/chat\"]}"));
        mvc.perform(get("/api/v1/images").header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.repositories[0]").value("team/llm/chat"));
    }

    @Test
    void auditReadsGoToTheAuditService() throws Exception {
        StubUpstreams.on("GET /api/v1/audit/proofs/inclusion", Answer.json(200, "{\"leafIndex\":4}"));
        mvc.perform(get("/api/v1/audit/proofs/inclusion?leaf=abc&size=10")
                        .header(HttpHeaders.AUTHORIZATION, bearer("auditor")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.leafIndex").value(4));
        List<Received> got = StubUpstreams.received("GET", "/api/v1/audit/proofs/inclusion");
        assertThat(got.get(got.size() - 1).query()).isEqualTo("leaf=abc&size=10");
    }

    @Test
    void policiesAndReferenceValuesAreForwardedWithTheAdminJwt() throws Exception {
        String subject = TestTokens.subject();
        String token = "Bearer " + TestTokens.token(subject, "admin");
        StubUpstreams.on("POST /kbs/v0/resource-policy", Answer.json(200, "{\"digest\":\"sha256:1\"}"));
        mvc.perform(put("/api/v1/policies/resource").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"policy\":\"true\"}").header(HttpHeaders.AUTHORIZATION, token))
                .andExpect(status().isOk()).andExpect(jsonPath("$.digest").value("sha256:1"));
        Received kb = StubUpstreams.received("POST", "/kbs/v0/resource-policy").getLast();
        assertThat(new String(kb.body(), StandardCharsets.UTF_8)).isEqualTo("{\"policy\":\"true\"}");
        verifyAdminJwt(kb.authorization(), subject);

        StubUpstreams.on("POST /api/v1/policies/snp-default", Answer.json(201, "{}"));
        mvc.perform(put("/api/v1/policies/attestation/snp-default").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"cel\":\"x\"}").header(HttpHeaders.AUTHORIZATION, token))
                .andExpect(status().isCreated());
        verifyAdminJwt(StubUpstreams.received("POST", "/api/v1/policies/snp-default").getLast().authorization(),
                subject);

        StubUpstreams.on("POST /api/v1/reference-values/snp-measurement", Answer.json(400,
                "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"not hex\"}"));
        mvc.perform(put("/api/v1/reference-values/snp-measurement").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"values\":[\"zz\"]}").header(HttpHeaders.AUTHORIZATION, token))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value("not hex"));
    }

    @Test
    void upstreamServerErrorIs502AndSlowUpstreamIs504() throws Exception {
        String id = UUID.randomUUID().toString();
        StubUpstreams.on("GET /api/v1/workloads/" + id, Answer.json(500, "{\"trace\":\"internal details\"}"));
        mvc.perform(get("/api/v1/workloads/" + id).header(HttpHeaders.AUTHORIZATION, bearer("deployer")))
                .andExpect(status().isBadGateway())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.upstream").value("orchestrator"))
                .andExpect(content().string(org.hamcrest.Matchers.not(
                        org.hamcrest.Matchers.containsString("internal details"))));

        StubUpstreams.on("GET /api/v1/audit/slow", new Answer(200, "application/json", "{}".getBytes(), 3000));
        mvc.perform(get("/api/v1/audit/slow").header(HttpHeaders.AUTHORIZATION, bearer("auditor")))
                .andExpect(status().isGatewayTimeout())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:cocoplane:problem:upstream-timeout"));
    }

    @Test
    void keyBrokerRefusingTheGatewaysCredentialIs502() throws Exception {
        String path = "default/key/refused-" + UUID.randomUUID();
        StubUpstreams.on("POST /kbs/v0/resource/" + path, Answer.json(401, "{}"));
        mvc.perform(put("/api/v1/secrets/" + path).content("v").header(HttpHeaders.AUTHORIZATION, bearer("admin")))
                .andExpect(status().isBadGateway())
                .andExpect(jsonPath("$.upstream").value("keybroker"));
    }
}
