package io.cocoplane.gateway.web;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.gateway.GatewayProperties;
import io.cocoplane.gateway.domain.InvalidRequestException;
import io.cocoplane.gateway.domain.KbsResourcePath;
import io.cocoplane.gateway.upstream.AdminCredential;
import io.cocoplane.gateway.upstream.Upstream;
import io.cocoplane.gateway.upstream.UpstreamClient;
import io.cocoplane.gateway.upstream.UpstreamException;
import io.cocoplane.gateway.upstream.UpstreamResponse;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Admin writes (role admin), forwarded with the gateway's own Ed25519 admin JWT ({@link AdminCredential}): secrets to
 * the key broker's resource API, the resource policy to the key broker, attestation policies and reference values to
 * the attestation service. Secret values pass through as bytes and are never logged, echoed or put in an event; the
 * secret list is cut down to metadata fields before it is returned.
 */
@RestController
@RequestMapping("/api/v1")
public class AdminController {

    private static final Logger log = LoggerFactory.getLogger(AdminController.class);
    /** Metadata fields of a secret the gateway returns; anything else the key broker sends is dropped. */
    static final List<String> SECRET_METADATA = List.of("path", "version", "size", "contentType", "createdAt",
            "updatedAt", "updatedBy");
    private static final int MAX_SECRETS_LISTED = 10_000;

    private final UpstreamClient upstreams;
    private final AdminCredential credential;
    private final GatewayProperties props;
    private final JsonMapper json;

    /**
     * @param upstreams  upstream client
     * @param credential admin credential
     * @param props      settings
     * @param json       mapper
     */
    public AdminController(UpstreamClient upstreams, AdminCredential credential, GatewayProperties props,
                           JsonMapper json) {
        this.upstreams = upstreams;
        this.credential = credential;
        this.props = props;
        this.json = json;
    }

    /**
     * @param repository first path segment
     * @param type       second
     * @param tag        third
     * @param request    body = the secret value, at most {@code max-secret-size} bytes
     * @param auth       caller
     * @return {@code {"path":…,"size":…}}
     * @throws IOException when the body cannot be read
     */
    @Operation(summary = "Store a secret in the key broker (body = value bytes)")
    @PutMapping(path = "/secrets/{repository}/{type}/{tag}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> putSecret(@PathVariable String repository, @PathVariable String type,
                                            @PathVariable String tag, HttpServletRequest request,
                                            Authentication auth) throws IOException {
        KbsResourcePath path = new KbsResourcePath(repository, type, tag);
        byte[] value = Bodies.read(request, props.maxSecretSize().toBytes());
        if (value.length == 0) {
            throw new InvalidRequestException("the secret value (request body) is empty");
        }
        UpstreamResponse r = upstreams.send(Upstream.KEYBROKER, HttpMethod.POST, "/kbs/v0/resource/" + path,
                MediaType.APPLICATION_OCTET_STREAM, value, credential.mint(auth.getName()));
        if (r.status() >= 400 && r.status() < 500 && r.status() != 401 && r.status() != 403) {
            return Relay.refusal(r, Upstream.KEYBROKER);
        }
        Relay.check(r, Upstream.KEYBROKER);
        log.info("secret {} stored by {} ({} bytes)", path, auth.getName(), value.length);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("path", path.toString());
        body.put("size", value.length);
        return ResponseEntity.ok(body);
    }

    /**
     * @param repository first path segment
     * @param type       second
     * @param tag        third
     * @param auth       caller
     * @return 204
     */
    @Operation(summary = "Delete a secret from the key broker")
    @DeleteMapping(path = "/secrets/{repository}/{type}/{tag}")
    public ResponseEntity<Object> deleteSecret(@PathVariable String repository, @PathVariable String type,
                                               @PathVariable String tag, Authentication auth) {
        KbsResourcePath path = new KbsResourcePath(repository, type, tag);
        UpstreamResponse r = upstreams.send(Upstream.KEYBROKER, HttpMethod.DELETE, "/kbs/v0/resource/" + path,
                null, null, credential.mint(auth.getName()));
        if (r.status() >= 400 && r.status() < 500 && r.status() != 401 && r.status() != 403) {
            return Relay.refusal(r, Upstream.KEYBROKER);
        }
        Relay.check(r, Upstream.KEYBROKER);
        log.info("secret {} deleted by {}", path, auth.getName());
        return ResponseEntity.noContent().build();
    }

    /**
     * @param auth caller
     * @return {@code {"resources":[{"path":…,"version":…,"size":…,…}]}}, metadata only
     */
    @Operation(summary = "List secrets (metadata only, never values)")
    @GetMapping(path = "/secrets", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> listSecrets(Authentication auth) {
        UpstreamResponse r = upstreams.send(Upstream.KEYBROKER, HttpMethod.GET, "/kbs/v0/resources", null, null,
                credential.mint(auth.getName()));
        Relay.check(r, Upstream.KEYBROKER);
        if (!r.ok()) {
            throw new UpstreamException(Upstream.KEYBROKER, false, "the keybroker service answered " + r.status());
        }
        JsonNode root;
        try {
            root = json.readTree(r.body());
        } catch (JacksonException e) {
            throw new UpstreamException(Upstream.KEYBROKER, false, "the keybroker service sent no JSON list");
        }
        JsonNode items = root.isArray() ? root : root.path("resources");
        if (!items.isArray() || items.size() > MAX_SECRETS_LISTED) {
            throw new UpstreamException(Upstream.KEYBROKER, false, "the keybroker service sent no resource list");
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (JsonNode item : items) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (String f : SECRET_METADATA) {
                JsonNode v = item.get(f);
                if (v != null && v.isValueNode() && !v.isNull()) {
                    m.put(f, v.isNumber() ? v.numberValue() : v.asString());
                }
            }
            out.add(m);
        }
        return Map.of("resources", out);
    }

    /**
     * @param request body forwarded as is (at most {@code max-body-size})
     * @param auth    caller
     * @return the key broker's answer
     * @throws IOException when the body cannot be read
     */
    @Operation(summary = "Replace the key broker's resource policy")
    @PutMapping(path = "/policies/resource")
    public ResponseEntity<byte[]> resourcePolicy(HttpServletRequest request, Authentication auth)
            throws IOException {
        return forward(Upstream.KEYBROKER, "/kbs/v0/resource-policy", request, auth);
    }

    /**
     * @param id      policy id
     * @param request body forwarded as is
     * @param auth    caller
     * @return the attestation service's answer
     * @throws IOException when the body cannot be read
     */
    @Operation(summary = "Create or replace an attestation policy")
    @PutMapping(path = "/policies/attestation/{id}")
    public ResponseEntity<byte[]> attestationPolicy(@PathVariable String id, HttpServletRequest request,
                                                    Authentication auth) throws IOException {
        return forward(Upstream.ATTESTATION, "/api/v1/policies/" + name(id, "policy id"), request, auth);
    }

    /**
     * @param name    reference value name
     * @param request body forwarded as is
     * @param auth    caller
     * @return the attestation service's answer
     * @throws IOException when the body cannot be read
     */
    @Operation(summary = "Create or replace a reference value")
    @PutMapping(path = "/reference-values/{name}")
    public ResponseEntity<byte[]> referenceValue(@PathVariable String name, HttpServletRequest request,
                                                 Authentication auth) throws IOException {
        return forward(Upstream.ATTESTATION, "/api/v1/reference-values/" + name(name, "reference value name"),
                request, auth);
    }

    private ResponseEntity<byte[]> forward(Upstream upstream, String path, HttpServletRequest request,
                                           Authentication auth) throws IOException {
        byte[] body = Bodies.read(request, props.maxBodySize().toBytes());
        MediaType type = request.getContentType() == null ? MediaType.APPLICATION_JSON
                : MediaType.parseMediaType(request.getContentType());
        UpstreamResponse r = upstreams.send(upstream, HttpMethod.POST, path, type, body,
                credential.mint(auth.getName()));
        log.info("{} {} updated by {}", upstream.id(), path, auth.getName());
        return Relay.relay(r, upstream);
    }

    private static String name(String s, String what) {
        if (s.length() > 253 || !s.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*") || s.contains("..")) {
            throw new InvalidRequestException(what + " must match [A-Za-z0-9_-][A-Za-z0-9._-]* (at most 253 "
                    + "characters, no '..')");
        }
        return s;
    }
}
