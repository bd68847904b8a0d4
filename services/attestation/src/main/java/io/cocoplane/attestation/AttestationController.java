package io.cocoplane.attestation;

import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.attestation.core.AttestationRequest;
import io.cocoplane.attestation.core.EarSigningKey;
import io.cocoplane.attestation.core.VerificationRefusedException;

/**
 * trustee attestation-service REST endpoints ({@code kbs-attestation.md} §9).
 *
 * <ul>
 *   <li>{@code POST /attestation}: body {@link AttestationRequest}; 200 {@code text/plain} body = the EAR token
 *       (as trustee). Errors as problem+json: 400 malformed request or unknown policy; 413 body over
 *       {@value AttestationRequest#MAX_BODY_BYTES} bytes; 403 evidence refused, with {@code type}
 *       {@code https://github.com/confidential-containers/kbs/errors/AttestationError} (trustee's error type URI) and
 *       a {@code check} member naming the failed check — trustee answers 500 with plain text here, which would make a
 *       refusal indistinguishable from a server fault; 403 rather than trustee-KBS's blanket 401 because the caller is
 *       not unauthenticated, its evidence is refused (hazard §10.7).</li>
 *   <li>{@code GET /.well-known/jwks.json}: the EAR verification key set, public.</li>
 * </ul>
 */
@RestController
public class AttestationController {

    private final AttestationService service;
    private final EarSigningKey key;

    AttestationController(AttestationService service, EarSigningKey key) {
        this.service = service;
        this.key = key;
    }

    /**
     * @param request the HTTP request (body read with a cap)
     * @return the EAR token
     * @throws VerificationRefusedException when the evidence is refused
     */
    @PostMapping(path = "/attestation", produces = MediaType.TEXT_PLAIN_VALUE)
    public ResponseEntity<String> attest(HttpServletRequest request) throws VerificationRefusedException {
        AttestationRequest parsed = AttestationRequest.parse(RequestBodies.read(request,
                AttestationRequest.MAX_BODY_BYTES));
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).contentType(MediaType.TEXT_PLAIN)
                .body(service.attest(parsed).token());
    }

    /**
     * @return {@code {"keys":[{"kty":"EC","crv":"P-256","x","y","kid","alg":"ES256","use":"sig"}]}}
     */
    @GetMapping(path = "/.well-known/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> jwks() {
        return key.jwks();
    }
}
