package io.cocoplane.attestation;

import java.time.Instant;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.attestation.core.AdminTokenVerifier;
import io.cocoplane.attestation.core.CelPolicy;
import io.cocoplane.attestation.core.ReferenceValueMessage;

/**
 * Admin API, every call authenticated with an Ed25519 bearer JWT carrying {@code "role":"admin"}
 * ({@link AdminTokenVerifier}); closed (401) when no admin key is configured.
 *
 * <ul>
 *   <li>{@code POST /api/v1/reference-values/{name}}: body an RVPS message ({@link ReferenceValueMessage}) whose
 *       payload holds exactly {@code name}; 200 {@code {"name","expiration"}}; emits {@code reference-value.updated}.</li>
 *   <li>{@code GET /api/v1/reference-values/{name}}: the live value; 404 when absent or expired.</li>
 *   <li>{@code POST /api/v1/policies/{id}}: body a CEL policy document ({@link CelPolicy}); 200 {@code {"id"}};
 *       400 when it does not compile; emits {@code policy.updated} (kind {@code attestation}).</li>
 *   <li>{@code GET /api/v1/policies/{id}}: the document; 404 when absent.</li>
 * </ul>
 */
@RestController
public class AdminController {

    private final AdminService admin;
    private final AdminAccess access;

    AdminController(AdminService admin, AdminAccess access) {
        this.admin = admin;
        this.access = access;
    }

    private String authenticate(String authorization) {
        return access.authenticate(authorization);
    }

    /**
     * @param name          reference value name
     * @param authorization bearer token
     * @param request       the HTTP request
     * @return name and expiration
     */
    @PostMapping(path = "/api/v1/reference-values/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> putReferenceValue(@PathVariable String name,
                                                 @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                                                 String authorization, HttpServletRequest request) {
        String who = authenticate(authorization);
        Instant expiration = admin.putReferenceValue(name,
                RequestBodies.read(request, ReferenceValueMessage.MAX_MESSAGE_BYTES), who);
        return Map.of("name", name, "expiration", expiration.toString());
    }

    /**
     * @param name          reference value name
     * @param authorization bearer token
     * @return the live value and its metadata
     */
    @GetMapping(path = "/api/v1/reference-values/{name}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> getReferenceValue(@PathVariable String name,
                                                 @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                                                 String authorization) {
        authenticate(authorization);
        return admin.referenceValue(name);
    }

    /**
     * @param id            policy id
     * @param authorization bearer token
     * @param request       the HTTP request
     * @return the id
     */
    @PostMapping(path = "/api/v1/policies/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> putPolicy(@PathVariable String id,
                                         @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                                         String authorization, HttpServletRequest request) {
        String who = authenticate(authorization);
        admin.putPolicy(id, RequestBodies.read(request, CelPolicy.MAX_POLICY_BYTES), who);
        return Map.of("id", id);
    }

    /**
     * @param id            policy id
     * @param authorization bearer token
     * @return the policy document
     */
    @GetMapping(path = "/api/v1/policies/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<String> getPolicy(@PathVariable String id,
                                            @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false)
                                            String authorization) {
        authenticate(authorization);
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(admin.policy(id));
    }
}
