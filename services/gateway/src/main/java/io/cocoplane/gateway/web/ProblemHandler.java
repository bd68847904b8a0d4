package io.cocoplane.gateway.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.cocoplane.gateway.domain.InvalidRequestException;
import io.cocoplane.gateway.upstream.AdminCredentialMissingException;
import io.cocoplane.gateway.upstream.UpstreamException;
import io.cocoplane.gateway.workloads.IdempotencyKeyReusedException;

/**
 * Maps every failure of a controller to an RFC 9457 problem: Spring MVC's own exceptions through
 * {@link ResponseEntityExceptionHandler}; {@link InvalidRequestException} → 400 (with {@code errors});
 * {@link PayloadTooLargeException} → 413; {@link IdempotencyKeyReusedException} → 422; {@link UpstreamException} →
 * 502, or 504 on a timeout; {@link AdminCredentialMissingException} → 503; anything else → 500 without internals.
 */
@RestControllerAdvice
public class ProblemHandler extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

    @ExceptionHandler(InvalidRequestException.class)
    ProblemDetail invalid(InvalidRequestException e) {
        ProblemDetail p = Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", e.getMessage());
        if (!e.errors().isEmpty()) {
            p.setProperty("errors", e.errors());
        }
        return p;
    }

    @ExceptionHandler(PayloadTooLargeException.class)
    ProblemDetail tooLarge(PayloadTooLargeException e) {
        return Problems.of(HttpStatus.CONTENT_TOO_LARGE, "payload-too-large", e.getMessage());
    }

    @ExceptionHandler(IdempotencyKeyReusedException.class)
    ProblemDetail reused(IdempotencyKeyReusedException e) {
        return Problems.of(HttpStatus.UNPROCESSABLE_CONTENT, "idempotency-key-reused", e.getMessage());
    }

    @ExceptionHandler(UpstreamException.class)
    ProblemDetail upstream(UpstreamException e) {
        HttpStatus status = e.timeout() ? HttpStatus.GATEWAY_TIMEOUT : HttpStatus.BAD_GATEWAY;
        ProblemDetail p = Problems.of(status, e.timeout() ? "upstream-timeout" : "upstream-unavailable",
                e.getMessage());
        p.setProperty("upstream", e.upstream().id());
        return p;
    }

    @ExceptionHandler(AdminCredentialMissingException.class)
    ProblemDetail noCredential(AdminCredentialMissingException e) {
        return Problems.of(HttpStatus.SERVICE_UNAVAILABLE, "admin-credential-missing", e.getMessage());
    }

    @ExceptionHandler(IllegalArgumentException.class)
    ProblemDetail illegalArgument(IllegalArgumentException e) {
        return Problems.of(HttpStatus.BAD_REQUEST, "invalid-request", "malformed request");
    }

    @ExceptionHandler(Exception.class)
    ProblemDetail unexpected(Exception e) {
        log.error("unexpected failure", e);
        return Problems.of(HttpStatus.INTERNAL_SERVER_ERROR, "internal-error", "unexpected failure");
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
                                                                  HttpHeaders headers, HttpStatusCode status,
                                                                  WebRequest request) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof PayloadTooLargeException tooLarge) {
                return ResponseEntity.status(HttpStatus.CONTENT_TOO_LARGE).body(tooLarge(tooLarge));
            }
        }
        // never echo the parser's message: it can quote the submitted body
        return ResponseEntity.badRequest().body(Problems.of(HttpStatus.BAD_REQUEST, "invalid-request",
                "the body is not valid JSON for this endpoint"));
    }
}
