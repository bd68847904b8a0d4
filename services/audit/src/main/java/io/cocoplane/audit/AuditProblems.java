package io.cocoplane.audit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

import io.cocoplane.transparencylog.InvalidProofException;
import io.cocoplane.transparencylog.TreeRangeException;

/**
 * Maps errors to RFC 9457 problems ({@code application/problem+json}): Spring MVC's own (missing or malformed
 * parameter, unknown path...) through {@link ResponseEntityExceptionHandler}, and the audit ones here.
 */
@RestControllerAdvice
public class AuditProblems extends ResponseEntityExceptionHandler {

    private static final Logger log = LoggerFactory.getLogger(AuditProblems.class);

    /**
     * @param e a parameter outside its range, or a range the tree library refused
     * @return 400
     */
    @ExceptionHandler({InvalidAuditRequestException.class, TreeRangeException.class, InvalidProofException.class})
    public ProblemDetail badRequest(RuntimeException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Invalid audit request");
        return p;
    }

    /**
     * @param e an entry or checkpoint that does not exist
     * @return 404
     */
    @ExceptionHandler(AuditNotFoundException.class)
    public ProblemDetail notFound(AuditNotFoundException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        p.setTitle("Not found");
        return p;
    }

    /**
     * @param e another integrity check still running
     * @return 503
     */
    @ExceptionHandler(IntegrityCheckBusyException.class)
    public ProblemDetail busy(IntegrityCheckBusyException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, e.getMessage());
        p.setTitle("Integrity check busy");
        return p;
    }

    /**
     * @param e anything else (a storage failure); its detail is logged, not shown
     * @return 500
     */
    @ExceptionHandler(RuntimeException.class)
    public ProblemDetail internal(RuntimeException e) {
        log.error("audit request failed", e);
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.INTERNAL_SERVER_ERROR,
                "internal error; see the service log");
        p.setTitle("Internal error");
        return p;
    }
}
