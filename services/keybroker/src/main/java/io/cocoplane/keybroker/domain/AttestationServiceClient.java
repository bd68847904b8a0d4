package io.cocoplane.keybroker.domain;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.function.Supplier;

import com.nimbusds.jose.jwk.JWKSet;

import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.Tee;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * HTTP client of the attestation service (note §9, trustee restful-as shape), every call with a timeout and behind a
 * resilience4j circuit breaker:
 * <ul>
 *   <li>{@code POST {base}/attestation} with {@code {"verification_requests":[{"tee","evidence":<b64url-no-pad of the
 *       primary evidence JSON>,"runtime_data":{"structured":{...}},"init_data":{"init_data_toml":...},
 *       "runtime_data_hash_algorithm":"sha384"}],"policy_ids":[...]}} → 200 with the EAR token as body (a bare compact
 *       JWS, or a JSON string or {@code {"token":...}});</li>
 *   <li>{@code GET {base}/.well-known/jwks.json} → the signing keys;</li>
 *   <li>admin pass-through (policies, reference values) with the caller's bearer.</li>
 * </ul>
 * Failure mapping: connect errors, timeouts, 5xx other than 500, and an open breaker are {@link KbsException} 503
 * (recorded by the breaker); 4xx and 500 (trustee answers refused evidence with 500 and a plain-text cause) are a
 * refusal of the evidence, 401 {@code AttestationError}, not recorded.
 */
public final class AttestationServiceClient implements JwksCache.Source {

    /** Largest response body read from the attestation service. */
    public static final int MAX_RESPONSE_BYTES = 1024 * 1024;

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final CircuitBreaker breaker;
    private final List<String> policyIds;
    private final JsonMapper json = JsonMapper.builder().build();

    /**
     * A plain answer of the attestation service.
     *
     * @param status      HTTP status
     * @param contentType its content type, or {@code application/octet-stream}
     * @param body        the body (at most {@value #MAX_RESPONSE_BYTES} bytes)
     */
    public record Reply(int status, String contentType, byte[] body) {
    }

    /**
     * @param base      the attestation service root, e.g. {@code https://attestation:8082}
     * @param http      the HTTP client (connect timeout set on it)
     * @param timeout   per-request timeout
     * @param breaker   the circuit breaker
     * @param policyIds {@code policy_ids} sent with every attestation (empty: the service's default)
     */
    public AttestationServiceClient(URI base, HttpClient http, Duration timeout, CircuitBreaker breaker,
                                    List<String> policyIds) {
        String s = base.toString();
        this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
        this.http = http;
        this.timeout = timeout;
        this.breaker = breaker;
        this.policyIds = List.copyOf(policyIds);
    }

    /** @return the circuit breaker (for metrics and tests) */
    public CircuitBreaker breaker() {
        return breaker;
    }

    /**
     * Asks for an EAR token.
     *
     * @param tee             the session's TEE
     * @param primaryEvidence the primary evidence JSON
     * @param runtimeData     the structured runtime data, built by the broker from its own session nonce
     * @param initData        the init-data, or null
     * @return the token text (not yet verified)
     * @throws KbsException 401 when the evidence is refused, 503 when the service is unavailable
     */
    public String attest(Tee tee, JsonNode primaryEvidence, ObjectNode runtimeData, InitData initData) {
        ObjectNode req = json.createObjectNode();
        ArrayNode list = req.putArray("verification_requests");
        ObjectNode vr = list.addObject();
        vr.put("tee", tee.wireName());
        vr.put("evidence", Base64.getUrlEncoder().withoutPadding()
                .encodeToString(json.writeValueAsBytes(primaryEvidence)));
        vr.putObject("runtime_data").set("structured", runtimeData);
        if (initData != null) {
            vr.putObject("init_data").put("init_data_toml", initData.body());
        }
        vr.put("runtime_data_hash_algorithm", tee.kbsRuntimeDataHash().wireName());
        ArrayNode ids = req.putArray("policy_ids");
        policyIds.forEach(ids::add);
        Reply r = call(() -> send(HttpRequest.newBuilder(base.resolve(base.getPath() + "/attestation"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(req)))));
        if (r.status() != 200) {
            String cause = new String(r.body(), 0, Math.min(r.body().length, 300), StandardCharsets.UTF_8);
            throw KbsException.attestation("attestation service refused the evidence (HTTP " + r.status() + "): "
                    + cause.replaceAll("[\\p{Cntrl}]", " "));
        }
        return tokenOf(r.body());
    }

    private String tokenOf(byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).trim();
        if (text.startsWith("\"") || text.startsWith("{")) {
            try {
                JsonNode n = json.readTree(text);
                if (n.isString()) {
                    return n.asString();
                }
                if (n.isObject() && n.get("token") != null && n.get("token").isString()) {
                    return n.get("token").asString();
                }
            } catch (RuntimeException e) {
                // fall through
            }
            throw KbsException.unavailable("attestation service answered 200 without a token");
        }
        return text;
    }

    /**
     * @return the attestation service's JWKS
     * @throws KbsException 503 when unreachable or not a JWKS
     */
    @Override
    public JWKSet fetch() {
        Reply r = call(() -> send(HttpRequest.newBuilder(base.resolve(base.getPath() + "/.well-known/jwks.json"))
                .GET()));
        if (r.status() != 200) {
            throw KbsException.unavailable("attestation service JWKS answered HTTP " + r.status());
        }
        try {
            return JWKSet.parse(new String(r.body(), StandardCharsets.UTF_8));
        } catch (ParseException e) {
            throw KbsException.unavailable("attestation service JWKS is not a JWK set: " + e.getMessage());
        }
    }

    /**
     * Forwards an admin call with the caller's own bearer.
     *
     * @param method        HTTP method
     * @param path          path under the service root, e.g. {@code /api/v1/policies/default_cpu}
     * @param body          request body, or null
     * @param contentType   request content type
     * @param authorization the caller's {@code Authorization} header
     * @return the service's answer, whatever its status
     * @throws KbsException 503 when unavailable
     */
    public Reply forward(String method, String path, byte[] body, String contentType, String authorization) {
        return call(() -> {
            HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(base.getPath() + path))
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofByteArray(body));
            if (contentType != null) {
                b.header("Content-Type", contentType);
            }
            if (authorization != null) {
                b.header("Authorization", authorization);
            }
            return send(b);
        });
    }

    private Reply call(Supplier<Reply> s) {
        try {
            return breaker.executeSupplier(s);
        } catch (CallNotPermittedException e) {
            throw KbsException.unavailable("attestation service circuit breaker is open");
        }
    }

    private Reply send(HttpRequest.Builder b) {
        try {
            HttpResponse<InputStream> resp = http.send(b.timeout(timeout).build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            byte[] bytes;
            try (InputStream in = resp.body()) {
                bytes = in.readNBytes(MAX_RESPONSE_BYTES + 1);
            }
            if (bytes.length > MAX_RESPONSE_BYTES) {
                throw KbsException.unavailable("attestation service answer larger than " + MAX_RESPONSE_BYTES);
            }
            int st = resp.statusCode();
            if (st >= 501 || st == 429) {
                throw KbsException.unavailable("attestation service answered HTTP " + st);
            }
            return new Reply(st, resp.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                    bytes);
        } catch (IOException e) {
            throw KbsException.unavailable("attestation service unreachable: " + e.getClass().getSimpleName());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw KbsException.unavailable("interrupted while calling the attestation service");
        }
    }

    /**
     * @param e an exception thrown through the breaker
     * @return whether it counts as a failure of the attestation service
     */
    public static boolean isOutage(Throwable e) {
        return e instanceof KbsException k && k.status() == 503;
    }
}
