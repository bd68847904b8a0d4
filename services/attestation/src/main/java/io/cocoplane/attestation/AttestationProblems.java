package io.cocoplane.attestation;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.cocoplane.attestation.core.AdminAuthenticationException;
import io.cocoplane.attestation.core.BadRequestException;
import io.cocoplane.attestation.core.PolicyException;
import io.cocoplane.attestation.core.VerificationRefusedException;

/**
 * Maps this service's exceptions to RFC 9457 problem+json: 400 {@link BadRequestException} and
 * {@link PolicyException}; 401 {@link AdminAuthenticationException} (with {@code WWW-Authenticate: Bearer}); 403
 * {@link VerificationRefusedException} (trustee error type URI, {@code check} member); 404 unknown admin resource;
 * 413 body over the limit.
 */
@RestControllerAdvice
class AttestationProblems {

    /** trustee's error type URI for attestation failures ({@code kbs-attestation.md} §1.4). */
    static final URI ATTESTATION_ERROR = URI.create("https://github.com/confidential-containers/kbs/errors/AttestationError");

    @ExceptionHandler(BadRequestException.class)
    ProblemDetail badRequest(BadRequestException e) {
        return problem(HttpStatus.BAD_REQUEST, "Bad request", e.getMessage());
    }

    @ExceptionHandler(PolicyException.class)
    ProblemDetail badPolicy(PolicyException e) {
        return problem(HttpStatus.BAD_REQUEST, "Invalid policy", e.getMessage());
    }

    @ExceptionHandler(RequestBodies.PayloadTooLargeException.class)
    ProblemDetail tooLarge(RequestBodies.PayloadTooLargeException e) {
        return problem(HttpStatus.CONTENT_TOO_LARGE, "Request body too large", e.getMessage());
    }

    @ExceptionHandler(AdminAuthenticationException.class)
    ResponseEntity<ProblemDetail> unauthenticated(AdminAuthenticationException e) {
        return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
                .body(problem(HttpStatus.UNAUTHORIZED, "Unauthorized", e.getMessage()));
    }

    @ExceptionHandler(AdminService.NotFoundException.class)
    ProblemDetail notFound(AdminService.NotFoundException e) {
        return problem(HttpStatus.NOT_FOUND, "Not found", e.getMessage());
    }

    @ExceptionHandler(VerificationRefusedException.class)
    ProblemDetail refused(VerificationRefusedException e) {
        ProblemDetail p = problem(HttpStatus.FORBIDDEN, "Attestation refused",
                "Attestation error: " + e.getMessage());
        p.setType(ATTESTATION_ERROR);
        p.setProperty("check", e.check());
        return p;
    }

    private static ProblemDetail problem(HttpStatus status, String title, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setTitle(title);
        return p;
    }
}
