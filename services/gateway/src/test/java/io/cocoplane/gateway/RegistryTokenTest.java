package io.cocoplane.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;

import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Docker token endpoint: Basic or bearer callers, scopes cut down to the role, tokens verifiable with the JWKS. */
class RegistryTokenTest extends GatewayTestBase {

    private final JsonMapper json = JsonMapper.builder().build();

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes());
    }

    private JsonNode tokenResponse(MockHttpServletRequestBuilder req) throws Exception {
        return json.readTree(mvc.perform(req).andExpect(status().isOk())
                .andExpect(header().string(HttpHeaders.CACHE_CONTROL, "no-store"))
                .andReturn().getResponse().getContentAsByteArray());
    }

    /** Verifies the token against {@code /auth/jwks.json}, as the registry would, and returns its claims. */
    private JWTClaimsSet verified(String token) throws Exception {
        JWKSet jwks = JWKSet.parse(mvc.perform(get("/auth/jwks.json")).andExpect(status().isOk())
                .andReturn().getResponse().getContentAsString());
        assertThat(jwks.getKeys()).allMatch(k -> !k.isPrivate());
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("ES256");
        ECKey key = (ECKey) jwks.getKeyByKeyId(jwt.getHeader().getKeyID());
        assertThat(key).as("kid of the token is in the JWKS").isNotNull();
        assertThat(jwt.verify(new ECDSAVerifier(key))).isTrue();
        return jwt.getJWTClaimsSet();
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> access(JWTClaimsSet c) {
        return (List<Map<String, Object>>) c.getClaim("access");
    }

    @Test
    void deployerClientAskingPullPushGetsOnlyPullAndTheTokenVerifiesAgainstTheJwks() throws Exception {
        JsonNode r = tokenResponse(get("/auth/token").param("service", "cocoplane-registry")
                .param("scope", "repository:foo:pull,push")
                .header(HttpHeaders.AUTHORIZATION, basic("ci-puller", CLIENT_PASSWORD)));
        assertThat(r.get("token").asString()).isEqualTo(r.get("access_token").asString());
        assertThat(r.get("expires_in").asLong()).isEqualTo(300);
        Instant issuedAt = Instant.parse(r.get("issued_at").asString());

        JWTClaimsSet c = verified(r.get("token").asString());
        assertThat(c.getSubject()).isEqualTo("ci-puller");
        assertThat(c.getIssuer()).isEqualTo("cocoplane-gateway");
        assertThat(c.getAudience()).containsExactly("cocoplane-registry");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(issuedAt);
        assertThat(c.getNotBeforeTime().toInstant()).isEqualTo(issuedAt);
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(issuedAt.plusSeconds(300));
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(access(c)).containsExactly(Map.of("type", "repository", "name", "foo", "actions", List.of("pull")));
    }

    @Test
    void adminClientGetsPushAndDeleteAndScopesOfOneRepositoryMerge() throws Exception {
        JsonNode r = tokenResponse(get("/auth/token").param("service", "cocoplane-registry")
                .param("scope", "repository:team/llm:pull", "repository:team/llm:push,delete,bogus")
                .header(HttpHeaders.AUTHORIZATION, basic("release-bot", CLIENT_PASSWORD)));
        assertThat(access(verified(r.get("token").asString()))).containsExactly(
                Map.of("type", "repository", "name", "team/llm", "actions", List.of("pull", "push", "delete")));
    }

    @Test
    void auditorGetsATokenWithNoAccess() throws Exception {
        JsonNode r = tokenResponse(get("/auth/token").param("service", "cocoplane-registry")
                .param("scope", "repository:foo:pull")
                .header(HttpHeaders.AUTHORIZATION, basic("inspector", CLIENT_PASSWORD)));
        assertThat(access(verified(r.get("token").asString()))).isEmpty();
    }

    @Test
    void bearerJwtCallerGetsScopesOfItsRoles() throws Exception {
        String subject = TestTokens.subject();
        JsonNode r = tokenResponse(get("/auth/token").param("service", "cocoplane-registry")
                .param("scope", "repository:foo:*")
                .header(HttpHeaders.AUTHORIZATION, "Bearer " + TestTokens.token(subject, "deployer")));
        JWTClaimsSet c = verified(r.get("token").asString());
        assertThat(c.getSubject()).isEqualTo(subject);
        assertThat(access(c)).containsExactly(Map.of("type", "repository", "name", "foo", "actions",
                List.of("pull")));
    }

    @Test
    void wrongPasswordAndAnonymousAre401ProblemsWithBasicChallenge() throws Exception {
        for (MockHttpServletRequestBuilder req : List.of(
                get("/auth/token").param("service", "cocoplane-registry")
                        .header(HttpHeaders.AUTHORIZATION, basic("ci-puller", "wrong")),
                get("/auth/token").param("service", "cocoplane-registry"))) {
            mvc.perform(req).andExpect(status().isUnauthorized())
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(header().stringValues(HttpHeaders.WWW_AUTHENTICATE,
                            org.hamcrest.Matchers.hasItem(org.hamcrest.Matchers.startsWith("Basic"))));
        }
    }

    @Test
    void unknownServiceAndMalformedScopeAre400() throws Exception {
        mvc.perform(get("/auth/token").param("service", "someone-else")
                        .header(HttpHeaders.AUTHORIZATION, basic("ci-puller", CLIENT_PASSWORD)))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/auth/token").param("service", "cocoplane-registry").param("scope", "repository")
                        .header(HttpHeaders.AUTHORIZATION, basic("ci-puller", CLIENT_PASSWORD)))
                .andExpect(status().isBadRequest());
    }

    @Test
    void imageReadsCarryATokenTheGatewayMintsForTheRegistry() throws Exception {
        String subject = TestTokens.subject();
        String caller = "Bearer " + TestTokens.token(subject, "deployer");
        StubUpstreams.on("GET /api/v1/images", StubUpstreams.Answer.json(200, "{\"repositories\":[]}"));
        mvc.perform(get("/api/v1/images").header(HttpHeaders.AUTHORIZATION, caller)).andExpect(status().isOk());
        List<StubUpstreams.Received> list = StubUpstreams.received("GET", "/api/v1/images");
        String listAuth = list.get(list.size() - 1).authorization();
        assertThat(listAuth).startsWith("Bearer ").isNotEqualTo(caller);
        JWTClaimsSet c = verified(listAuth.substring(7));
        assertThat(c.getSubject()).isEqualTo(subject);
        assertThat(c.getAudience()).containsExactly("cocoplane-registry");
        assertThat(access(c)).containsExactly(Map.of("type", "registry", "name", "catalog", "actions", List.of("*")));

        StubUpstreams.on("GET /api/v1/images/team/llm/chat", StubUpstreams.Answer.json(200, "{}"));
        mvc.perform(get("/api/v1/images/team/llm/chat").header(HttpHeaders.AUTHORIZATION, caller))
                .andExpect(status().isOk());
        List<StubUpstreams.Received> one = StubUpstreams.received("GET", "/api/v1/images/team/llm/chat");
        JWTClaimsSet r = verified(one.get(one.size() - 1).authorization().substring(7));
        assertThat(access(r)).containsExactly(Map.of("type", "repository", "name", "team/llm/chat", "actions",
                List.of("pull")));
    }
}
