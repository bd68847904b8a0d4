package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.cocoplane.eventing.test.HostileHttp;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.Tee;

/**
 * Hostile input at the key broker's edge (port 8081, issue 11 §3; docs/reliability.md): each refusal is asserted
 * with its status and trustee error variant, and after each the broker still starts a handshake.
 */
class HostileInputTest extends KeyBrokerTestBase {

    /** Longer than {@code server.tomcat.connection-timeout} (10 s in application.yml): the server must act first. */
    private static final Duration PATIENCE = Duration.ofSeconds(40);

    @AfterEach
    void stillAnswers() {
        HttpResponse<String> r = send("POST", "/kbs/v0/auth", Request.forTee(Tee.SNP).toJsonBytes(),
                "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).contains("\"nonce\"");
    }

    @Test
    void adminJsonNestedDeeperThanTheRcarLimitIsASerdeError() {
        // a valid member plus an ignored one nested 65 deep: refused before the policy is even looked at
        String policy = Base64.getUrlEncoder().withoutPadding()
                .encodeToString("true".getBytes(StandardCharsets.UTF_8));
        byte[] body = ("{\"policy\":\"" + policy + "\",\"x\":" + HostileHttp.nestedJsonArrays(65) + "}")
                .getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send("POST", "/kbs/v0/resource-policy", body, "Authorization",
                "Bearer " + adminToken("admin"), "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(variant(r)).isEqualTo("SerdeError");
        assertThat(r.body()).contains("nesting depth");

        HttpResponse<String> dup = send("POST", "/kbs/v0/admin/rotate-master-key",
                "{\"primary\":\"k1\",\"primary\":\"k2\"}".getBytes(StandardCharsets.UTF_8), "Authorization",
                "Bearer " + adminToken("admin"), "Content-Type", "application/json");
        assertThat(dup.statusCode()).isEqualTo(400);
        assertThat(variant(dup)).isEqualTo("SerdeError");
        assertThat(dup.body()).contains("Duplicate");
    }

    @Test
    void rcarMessageNestedTooDeepIsASerdeError() {
        byte[] body = ("{\"version\":\"0.4.0\",\"tee\":\"snp\",\"extra-params\":"
                + "{\"a\":" + HostileHttp.nestedJsonArrays(200) + "}}").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> r = send("POST", "/kbs/v0/auth", body, "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(variant(r)).isEqualTo("SerdeError");
        assertThat(r.body()).contains("nesting depth");
    }

    @Test
    void injectionInAReferenceValueNameIsRefusedBeforeAnythingIsForwarded() throws Exception {
        int before = AS.adminCalls.size();
        for (String name : new String[] {"x%27%3B%20DROP%20TABLE%20kbs_resource%3B--", "a%20b", "%3Cscript%3E",
                "..", ".x", "a..b"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "POST", "/kbs/v0/reference-value/" + name,
                    "Authorization: Bearer " + adminToken("admin"));
            assertThat(o.status()).as(name + " " + o.head() + " " + o.body()).isEqualTo(400);
            assertThat(o.body()).as(name).contains("SerdeError");
        }
        // a NUL byte is refused by Tomcat itself, before any code of ours runs
        HostileHttp.Outcome nul = HostileHttp.raw(port, "POST", "/kbs/v0/reference-value/x%00y",
                "Authorization: Bearer " + adminToken("admin"));
        assertThat(nul.status()).isEqualTo(400);
        assertThat(AS.adminCalls).hasSize(before);
    }

    @Test
    void rawTraversalInTheRequestLineNeverReachesAResource() throws Exception {
        putSecret("hostile/key/one", "value-one".getBytes(StandardCharsets.UTF_8));
        for (String target : new String[] {"/kbs/v0/resource/hostile/key/../key/one",
                "/kbs/v0/resource/hostile/%2e%2e/key/one", "/kbs/v0/resource/hostile/key/one%2F..%2F..",
                "/kbs/v0/resource/../../../etc/passwd"}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "GET", target);
            assertThat(o.status()).as(target).isIn(400, 404);
            assertThat(o.body()).as(target).doesNotContain("value-one").doesNotContain("root:");
        }
    }

    @Test
    void aBodyThatStallsIsCutOffWithRequestTimeout() throws Exception {
        HostileHttp.Outcome o = HostileHttp.assertStalledBodyCutOff(port, "POST", "/kbs/v0/auth",
                "application/json", PATIENCE);
        assertThat(o.status()).as(o.head() + " " + o.body()).isEqualTo(408);
        assertThat(o.body()).contains("\"type\":\"" + ErrorInformation.TYPE_PREFIX + "RequestTimeout\"");
    }

    @Test
    void metricsNameNoResourcePath() throws Exception {
        // trustee PR #1537: /metrics leaked resource paths; ours are tagged by route template only
        String path = "metrics/leak/" + unique("p");
        putSecret(path, "v".getBytes(StandardCharsets.UTF_8));
        send("GET", "/kbs/v0/resource/" + path, null);
        HttpResponse<String> m = send("GET", "/actuator/prometheus", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("http_server_requests").doesNotContain(path).doesNotContain("metrics/leak");
    }

    @Test
    void oversizedHeadersAndUnfinishedHeadersAreCutOff() throws Exception {
        HostileHttp.assertHeaderLimitsHold(port, "/kbs/v0/resource-policy", PATIENCE);
    }
}
