package io.cocoplane.keybroker.web;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.kbsprotocol.AttestResponse;
import io.cocoplane.kbsprotocol.InvalidMessageException;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.RcarJson;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.keybroker.Handshake;
import io.cocoplane.keybroker.KeyBrokerProperties;
import io.cocoplane.keybroker.Policies;
import io.cocoplane.keybroker.Release;
import io.cocoplane.keybroker.ResourceAdmin;
import io.cocoplane.keybroker.domain.AdminAuthenticator;
import io.cocoplane.keybroker.domain.AttestationServiceClient;
import io.cocoplane.keybroker.domain.InvalidPolicyException;
import io.cocoplane.keybroker.domain.KbsException;
import io.cocoplane.keybroker.domain.ReleasePolicy;
import io.cocoplane.keybroker.persistence.ResourceRepository;
import io.cocoplane.kbsprotocol.KbsProtocolException;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.JsonNode;

/**
 * The KBS HTTP API under {@code /kbs/v0/} (note §1.1): the RCAR handshake, resource release, and the admin API
 * (resources, resource policy, attestation policy and reference-value pass-through, master-key rotation). Bodies are
 * read raw with explicit limits (413 beyond); resource paths are taken from the raw request URI, never decoded or
 * normalized. Errors: see {@link KbsErrorAdvice}.
 */
@RestController
@RequestMapping("/kbs/v0")
public class KbsController {

    static final String RESOURCE_PREFIX = "/kbs/v0/resource/";
    private static final Pattern SESSION_ID = Pattern.compile("[0-9a-f]{32}");
    /** Policy ids and reference value names: no leading dot and no {@code ..}, so never a dot-segment upstream. */
    private static final Pattern POLICY_ID = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9_-][A-Za-z0-9._-]{0,63}");

    private final Handshake handshake;
    private final Release release;
    private final ResourceAdmin resources;
    private final Policies policies;
    private final AdminAuthenticator admins;
    private final AttestationServiceClient attestation;
    private final KeyBrokerProperties props;
    private final Clock clock;

    /** Spring constructor. */
    public KbsController(Handshake handshake, Release release, ResourceAdmin resources, Policies policies,
                         AdminAuthenticator admins, AttestationServiceClient attestation, KeyBrokerProperties props,
                         Clock clock) {
        this.handshake = handshake;
        this.release = release;
        this.resources = resources;
        this.policies = policies;
        this.admins = admins;
        this.attestation = attestation;
        this.props = props;
        this.clock = clock;
    }

    // ---------------------------------------------------------------- RCAR

    /** {@code POST /kbs/v0/auth}: Request → Challenge + session cookie. */
    @PostMapping("/auth")
    public ResponseEntity<byte[]> auth(HttpServletRequest req) {
        Handshake.Auth a = handshake.auth(body(req, props.limits().maxMessageBytes()));
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie(req, a.sessionId(), a.expiresAt()))
                .contentType(MediaType.APPLICATION_JSON).body(a.challenge().toJsonBytes());
    }

    /** {@code POST /kbs/v0/attest}: Attestation → {@code {"token"}}. */
    @PostMapping("/attest")
    public ResponseEntity<byte[]> attest(HttpServletRequest req) {
        String session = sessionId(req);
        Handshake.Attested a = handshake.attest(session, body(req, props.limits().maxMessageBytes()));
        return ResponseEntity.ok().header(HttpHeaders.SET_COOKIE, cookie(req, session, a.expiresAt()))
                .contentType(MediaType.APPLICATION_JSON).body(new AttestResponse(a.token()).toJsonBytes());
    }

    /** {@code GET /kbs/v0/resource/<repository>/<type>/<tag>}: the JWE. */
    @GetMapping("/resource/**")
    public ResponseEntity<byte[]> resource(HttpServletRequest req) {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON)
                .body(release.release(rawResourcePath(req), sessionId(req),
                        req.getHeader(HttpHeaders.AUTHORIZATION)).toJsonBytes());
    }

    // ---------------------------------------------------------------- admin

    /** {@code POST /kbs/v0/resource/<path>} (admin): stores a new version of the raw body. */
    @PostMapping("/resource/**")
    public ResponseEntity<Map<String, Object>> putResource(HttpServletRequest req) {
        ResourcePath path = parsePath(rawResourcePath(req));
        AdminAuthenticator.Admin admin = admin(req);
        byte[] value = body(req, props.limits().maxResourceBytes());
        return ResponseEntity.ok(view(resources.put(path, value, admin.subject())));
    }

    /** {@code DELETE /kbs/v0/resource/<path>} (admin). */
    @DeleteMapping("/resource/**")
    public ResponseEntity<Void> deleteResource(HttpServletRequest req) {
        ResourcePath path = parsePath(rawResourcePath(req));
        AdminAuthenticator.Admin admin = admin(req);
        resources.delete(path, admin.subject());
        return ResponseEntity.ok().build();
    }

    /** {@code GET /kbs/v0/resources} (admin): metadata only, never values. */
    @GetMapping("/resources")
    public List<Map<String, Object>> listResources(HttpServletRequest req) {
        admin(req);
        return resources.list().stream().map(KbsController::view).toList();
    }

    /** {@code POST /kbs/v0/resource-policy} (admin): {@code {"policy":"<base64url-no-pad of CEL>"}}. */
    @PostMapping("/resource-policy")
    public Map<String, Object> setPolicy(HttpServletRequest req) {
        AdminAuthenticator.Admin admin = admin(req);
        JsonNode body = jsonBody(req);
        JsonNode policy = body.get("policy");
        if (policy == null || !policy.isString()) {
            throw KbsException.malformed("expected {\"policy\":\"<base64url without padding of the CEL text>\"}");
        }
        String text = decodeB64UrlNoPad(policy.asString());
        try {
            ReleasePolicy p = policies.set(text, admin.subject());
            return Map.of("id", "resource-policy", "digest", p.digest());
        } catch (InvalidPolicyException e) {
            throw new KbsException(400, "ParsePolicyError", e.getMessage());
        }
    }

    /** {@code GET /kbs/v0/resource-policy} (admin): the policy in force. */
    @GetMapping("/resource-policy")
    public Map<String, Object> getPolicy(HttpServletRequest req) {
        admin(req);
        ReleasePolicy p = policies.current();
        return Map.of("id", "resource-policy", "digest", p.digest(), "policy",
                Base64.getUrlEncoder().withoutPadding().encodeToString(p.source().getBytes(StandardCharsets.UTF_8)));
    }

    /**
     * {@code POST /kbs/v0/attestation-policy} (admin, trustee body with {@code policy_id}): forwarded to the
     * attestation service's {@code POST /api/v1/policies/{policy_id}} with the caller's bearer.
     */
    @PostMapping("/attestation-policy")
    public ResponseEntity<byte[]> attestationPolicy(HttpServletRequest req) {
        AdminAuthenticator.Admin admin = admin(req);
        byte[] raw = body(req, props.limits().maxMessageBytes());
        JsonNode body = parseJson(raw);
        JsonNode id = body.get("policy_id");
        if (id == null || !id.isString() || !POLICY_ID.matcher(id.asString()).matches()) {
            throw KbsException.malformed("policy_id must match " + POLICY_ID);
        }
        AttestationServiceClient.Reply r = attestation.forward("POST", "/api/v1/policies/" + id.asString(), raw,
                "application/json", req.getHeader(HttpHeaders.AUTHORIZATION));
        if (r.status() / 100 == 2) {
            policies.attestationPolicyUpdated(id.asString(), admin.subject(), ReleasePolicy.sha256(
                    new String(raw, StandardCharsets.UTF_8)));
        }
        return relay(r);
    }

    /** {@code POST /kbs/v0/reference-value/{name}} (admin): forwarded to {@code /api/v1/reference-values/{name}}. */
    @PostMapping("/reference-value/{name}")
    public ResponseEntity<byte[]> referenceValue(@PathVariable String name, HttpServletRequest req) {
        admin(req);
        if (!POLICY_ID.matcher(name).matches()) {
            throw KbsException.malformed("reference value name must match " + POLICY_ID);
        }
        byte[] raw = body(req, props.limits().maxMessageBytes());
        return relay(attestation.forward("POST", "/api/v1/reference-values/" + name, raw, "application/json",
                req.getHeader(HttpHeaders.AUTHORIZATION)));
    }

    /** {@code POST /kbs/v0/admin/rotate-master-key} (admin): optional {@code {"primary":"<configured id>"}}. */
    @PostMapping("/admin/rotate-master-key")
    public Map<String, Object> rotate(HttpServletRequest req) {
        admin(req);
        byte[] raw = body(req, 4096);
        String primary = null;
        if (raw.length > 0) {
            JsonNode n = parseJson(raw).get("primary");
            if (n != null && !n.isString()) {
                throw KbsException.malformed("primary must be a string");
            }
            primary = n == null ? null : n.asString();
        }
        int count = resources.rotate(primary);
        return Map.of("rewrapped", count, "primary", primary == null ? "unchanged" : primary);
    }

    /** Anything else under {@code /kbs/v0/}: 404 {@code PluginNotFound}. */
    @RequestMapping("/**")
    public ResponseEntity<byte[]> unknown(HttpServletRequest req) {
        throw KbsException.pluginNotFound("no endpoint " + req.getMethod() + " " + req.getRequestURI());
    }

    // ---------------------------------------------------------------- helpers

    private AdminAuthenticator.Admin admin(HttpServletRequest req) {
        return admins.authorize(req.getHeader(HttpHeaders.AUTHORIZATION), req.getRequestURI());
    }

    private static ResponseEntity<byte[]> relay(AttestationServiceClient.Reply r) {
        return ResponseEntity.status(r.status()).header(HttpHeaders.CONTENT_TYPE, r.contentType()).body(r.body());
    }

    private static Map<String, Object> view(ResourceRepository.Metadata m) {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("path", m.path());
        v.put("version", m.version());
        v.put("size", m.size());
        v.put("updatedAt", m.updatedAt().toString());
        v.put("updatedBy", m.updatedBy());
        return v;
    }

    private static ResourcePath parsePath(String raw) {
        try {
            return ResourcePath.parse(raw);
        } catch (KbsProtocolException e) {
            throw KbsException.invalidPath(e.getMessage());
        }
    }

    /** The undecoded text after {@code /kbs/v0/resource/} in the request line. */
    static String rawResourcePath(HttpServletRequest req) {
        String uri = req.getRequestURI();
        if (uri == null || !uri.startsWith(RESOURCE_PREFIX)) {
            throw KbsException.invalidPath("resource path must follow " + RESOURCE_PREFIX);
        }
        return uri.substring(RESOURCE_PREFIX.length());
    }

    static String sessionId(HttpServletRequest req) {
        var cookies = req.getHeaders(HttpHeaders.COOKIE);
        while (cookies != null && cookies.hasMoreElements()) {
            for (String part : cookies.nextElement().split(";")) {
                String p = part.trim();
                if (p.startsWith(KbsClient.SESSION_COOKIE + "=")) {
                    String v = p.substring(KbsClient.SESSION_COOKIE.length() + 1);
                    if (SESSION_ID.matcher(v).matches()) {
                        return v;
                    }
                }
            }
        }
        return null;
    }

    private String cookie(HttpServletRequest req, String id, Instant expires) {
        long maxAge = Math.max(0, Duration.between(clock.instant(), expires).getSeconds());
        return ResponseCookie.from(KbsClient.SESSION_COOKIE, id).path("/kbs/v0").httpOnly(true).sameSite("Strict")
                .secure(req.isSecure()).maxAge(maxAge).build().toString();
    }

    private JsonNode jsonBody(HttpServletRequest req) {
        return parseJson(body(req, props.limits().maxMessageBytes()));
    }

    private JsonNode parseJson(byte[] raw) {
        try {
            return RcarJson.parseObject(raw, raw.length, "body");
        } catch (InvalidMessageException e) {
            throw KbsException.malformed(e.getMessage());
        }
    }

    private static String decodeB64UrlNoPad(String s) {
        if (s.indexOf('=') >= 0 || !s.matches("[A-Za-z0-9_-]*")) {
            throw KbsException.malformed("policy must be base64url without padding");
        }
        try {
            return new String(Base64.getUrlDecoder().decode(s), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw KbsException.malformed("policy is not valid base64url");
        }
    }

    /** Reads at most {@code max} bytes; 413 beyond. */
    static byte[] body(HttpServletRequest req, int max) {
        long declared = req.getContentLengthLong();
        if (declared > max) {
            throw KbsException.tooLarge("body of " + declared + " bytes exceeds the limit of " + max);
        }
        try (InputStream in = req.getInputStream()) {
            byte[] b = in.readNBytes(max + 1);
            if (b.length > max) {
                throw KbsException.tooLarge("body exceeds the limit of " + max + " bytes");
            }
            return b;
        } catch (IOException e) {
            throw KbsException.malformed("cannot read the body: " + e.getMessage());
        }
    }
}
