package io.cocoplane.gateway;

import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.request;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

/**
 * Every write endpoint (and every routed read) refuses anonymous callers with 401 and callers without the endpoint's
 * role with 403, both as problem+json; a token signed by an untrusted key is 401. Nothing reaches an upstream or the
 * outbox in these cases (the stub would answer 404 and the controllers would answer something else).
 */
class AccessControlTest extends GatewayTestBase {

    private static final String WORKLOAD_BODY = """
            {"name":"llm-chat","image":"registry.local:5000/llm/chat:1","tee":"snp"}""";

    /** endpoint, a role that may not call it */
    static Stream<Arguments> writeEndpoints() {
        String id = UUID.randomUUID().toString();
        return Stream.of(
                Arguments.of(HttpMethod.POST, "/api/v1/workloads", WORKLOAD_BODY, "auditor"),
                Arguments.of(HttpMethod.POST, "/api/v1/workloads", WORKLOAD_BODY, "admin"),
                Arguments.of(HttpMethod.DELETE, "/api/v1/workloads/" + id, null, "auditor"),
                Arguments.of(HttpMethod.PUT, "/api/v1/secrets/default/key/model", "value", "deployer"),
                Arguments.of(HttpMethod.PUT, "/api/v1/secrets/default/key/model", "value", "auditor"),
                Arguments.of(HttpMethod.DELETE, "/api/v1/secrets/default/key/model", null, "deployer"),
                Arguments.of(HttpMethod.PUT, "/api/v1/policies/resource", "{}", "deployer"),
                Arguments.of(HttpMethod.PUT, "/api/v1/policies/attestation/default", "{}", "deployer"),
                Arguments.of(HttpMethod.PUT, "/api/v1/reference-values/snp-launch-measurement", "{}", "auditor"));
    }

    static Stream<Arguments> readEndpoints() {
        return Stream.of(
                Arguments.of(HttpMethod.GET, "/api/v1/workloads", null, "auditor"),
                Arguments.of(HttpMethod.GET, "/api/v1/images/llm/chat", null, "auditor"),
                Arguments.of(HttpMethod.GET, "/api/v1/secrets", null, "deployer"),
                Arguments.of(HttpMethod.GET, "/api/v1/audit/entries", null, "deployer"));
    }

    static Stream<Arguments> allEndpoints() {
        return Stream.concat(writeEndpoints(), readEndpoints());
    }

    private static MockHttpServletRequestBuilder call(HttpMethod method, String path, String body) {
        MockHttpServletRequestBuilder b = request(method, path);
        if (body != null) {
            b.contentType(body.startsWith("{") ? MediaType.APPLICATION_JSON : MediaType.APPLICATION_OCTET_STREAM)
                    .content(body);
        }
        return b;
    }

    @ParameterizedTest(name = "{0} {1} anonymous → 401")
    @MethodSource("allEndpoints")
    void anonymousCallersGet401Problem(HttpMethod method, String path, String body, String wrongRole)
            throws Exception {
        mvc.perform(call(method, path, body))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, org.hamcrest.Matchers.startsWith("Bearer")))
                .andExpect(jsonPath("$.status").value(401))
                .andExpect(jsonPath("$.type").value("urn:cocoplane:problem:unauthenticated"))
                .andExpect(jsonPath("$.instance").value(path));
    }

    @ParameterizedTest(name = "{0} {1} as {3} → 403")
    @MethodSource("allEndpoints")
    void wrongRoleGets403Problem(HttpMethod method, String path, String body, String wrongRole) throws Exception {
        mvc.perform(call(method, path, body).header(HttpHeaders.AUTHORIZATION, bearer(wrongRole)))
                .andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(403))
                .andExpect(jsonPath("$.type").value("urn:cocoplane:problem:forbidden"));
    }

    @ParameterizedTest(name = "{0} {1} with an untrusted token → 401")
    @MethodSource("writeEndpoints")
    void untrustedTokenGets401(HttpMethod method, String path, String body, String wrongRole) throws Exception {
        String token = TestTokens.untrusted(TestTokens.subject(), "admin", "deployer", "auditor");
        mvc.perform(call(method, path, body).header(HttpHeaders.AUTHORIZATION, "Bearer " + token))
                .andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                        org.hamcrest.Matchers.containsString("invalid_token")));
    }

    @ParameterizedTest(name = "{0} is public")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/v3/api-docs", "/auth/jwks.json",
            "/swagger-ui/index.html"})
    void documentationAndJwksArePublic(String path) throws Exception {
        mvc.perform(request(HttpMethod.GET, path)).andExpect(status().isOk());
    }
}
