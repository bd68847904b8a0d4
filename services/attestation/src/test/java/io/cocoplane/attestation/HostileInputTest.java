package io.cocoplane.attestation;

import static io.cocoplane.attestation.TestSupport.adminToken;
import static io.cocoplane.attestation.TestSupport.get;
import static io.cocoplane.attestation.TestSupport.post;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.time.Duration;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.attestation.core.AttestationRequest;
import io.cocoplane.eventing.test.HostileHttp;
import io.cocoplane.eventing.test.TestInfra;

/**
 * Hostile input at the attestation service's edge (port 8082, issue 11 §3; docs/reliability.md): each refusal is
 * asserted with its status and problem+json detail, and afterwards the service still serves its JWKS.
 */
@TestInfra(schema = "attestation")
@SpringBootTest(classes = AttestationApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class HostileInputTest {

    /** Longer than {@code server.tomcat.connection-timeout} (10 s in application.yml). */
    private static final Duration PATIENCE = Duration.ofSeconds(40);

    @DynamicPropertySource
    static void adminKey(DynamicPropertyRegistry r) {
        r.add("cocoplane.attestation.admin.public-key", TestSupport::adminPublicPem);
    }

    @LocalServerPort
    int port;

    @AfterEach
    void stillAnswers() throws Exception {
        HttpResponse<String> r = get(port, "/.well-known/jwks.json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"keys\"");
    }

    private static void assertProblem(HttpResponse<String> r, int status, String detail) {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(r.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(r.body()).contains(detail);
    }

    @Test
    void evidenceRequestNestedTooDeepIs400() throws Exception {
        String body = "{\"verification_requests\":[{\"tee\":\"sample\",\"evidence\":\"e30\",\"runtime_data\":"
                + "{\"structured\":{\"a\":" + HostileHttp.nestedJsonArrays(100) + "}}}]}";
        assertProblem(post(port, "/attestation", body, null), 400, "nesting depth");
    }

    @Test
    void evidenceRequestOverTheBodyLimitIs413() throws Exception {
        String body = "{\"pad\":\"" + "p".repeat(AttestationRequest.MAX_BODY_BYTES) + "\"}";
        assertProblem(post(port, "/attestation", body, null), 413, String.valueOf(AttestationRequest.MAX_BODY_BYTES));
    }

    @Test
    void initDataTomlNestedOrOversizedIs400() throws Exception {
        String deep = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\nx = " + HostileHttp.nestedJsonArrays(5000)
                + "\n";
        String body = "{\"verification_requests\":[{\"tee\":\"sample\",\"evidence\":\"e30\",\"runtime_data\":"
                + "{\"raw\":\"AA\"},\"init_data\":{\"init_data_toml\":\"" + deep.replace("\n", "\\n")
                .replace("\"", "\\\"") + "\"}}]}";
        HttpResponse<String> r = post(port, "/attestation", body, null);
        assertProblem(r, 400, "init");
    }

    @Test
    void dotSegmentsAndInjectionInAdminNamesAre400() throws Exception {
        String token = adminToken();
        // path form, decoded name: the RVPS message names the same value, so only the name grammar can refuse it
        String[][] names = {{"..", ".."}, {".hidden", ".hidden"}, {"a..b", "a..b"},
                {"x';DROP%20TABLE%20reference_value;--", "x';DROP TABLE reference_value;--"},
                {"%3Cscript%3E", "<script>"}, {"%2Fetc", "/etc"}};
        for (String[] n : names) {
            HttpResponse<String> rv = post(port, "/api/v1/reference-values/" + n[0],
                    TestSupport.rvpsMessage(n[1], java.util.List.of(1)), token);
            assertThat(rv.statusCode()).as(n[1] + " " + rv.body()).isEqualTo(400);
            HttpResponse<String> pol = post(port, "/api/v1/policies/" + n[0], "{\"defaults\":{\"hardware\":2}}",
                    token);
            assertThat(pol.statusCode()).as(n[1] + " " + pol.body()).isEqualTo(400);
        }
        HttpResponse<String> ok = post(port, "/api/v1/policies/a.b-c_d", "{\"defaults\":{\"hardware\":2}}", token);
        assertThat(ok.statusCode()).as(ok.body()).isEqualTo(200);
        for (String target : new String[] {"/api/v1/reference-values/..", "/api/v1/policies/%2e%2e",
                "/api/v1/reference-values/..%2F..%2Fetc"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "GET", target, "Authorization: Bearer " + token);
            assertThat(o.status()).as(target + " " + o.head() + o.body()).isIn(400, 404);
            assertThat(o.body()).as(target).doesNotContain("\"name\"");
        }
    }

    @Test
    void aBodyThatStallsIsCutOffWith408() throws Exception {
        HostileHttp.Outcome o = HostileHttp.assertStalledBodyCutOff(port, "POST", "/attestation",
                "application/json", PATIENCE);
        assertThat(o.status()).as(o.head() + " " + o.body()).isEqualTo(408);
    }

    @Test
    void oversizedHeadersAndUnfinishedHeadersAreCutOff() throws Exception {
        HostileHttp.assertHeaderLimitsHold(port, "/attestation", PATIENCE);
    }
}
