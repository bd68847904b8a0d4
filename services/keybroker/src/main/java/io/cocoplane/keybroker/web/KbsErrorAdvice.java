package io.cocoplane.keybroker.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.JweException;
import io.cocoplane.kbsprotocol.KbsProtocolException;
import io.cocoplane.keybroker.domain.KbsException;
import io.cocoplane.keybroker.domain.SecretIntegrityException;

/**
 * Renders every failure of the KBS API as the trustee error body {@code {"type","detail"}} ({@link ErrorInformation})
 * with the honest status of {@link KbsException}; protocol parse errors are 400, a JWE the guest's key cannot receive
 * is 400 {@code JweError}, a stored secret that does not open is 500 (logged, detail generic).
 */
@RestControllerAdvice(assignableTypes = KbsController.class)
public class KbsErrorAdvice {

    private static final Logger log = LoggerFactory.getLogger(KbsErrorAdvice.class);

    @ExceptionHandler(KbsException.class)
    ResponseEntity<byte[]> kbs(KbsException e) {
        if (e.status() >= 500) {
            log.warn("{}: {}", e.variant(), e.getMessage());
        }
        return error(e.status(), e.variant(), e.getMessage());
    }

    @ExceptionHandler(JweException.class)
    ResponseEntity<byte[]> jwe(JweException e) {
        return error(400, "JweError", e.getMessage());
    }

    @ExceptionHandler(KbsProtocolException.class)
    ResponseEntity<byte[]> protocol(KbsProtocolException e) {
        return error(400, "SerdeError", e.getMessage());
    }

    @ExceptionHandler(SecretIntegrityException.class)
    ResponseEntity<byte[]> integrity(SecretIntegrityException e) {
        log.error("stored secret does not open: {}", e.getMessage());
        return error(500, "PluginInternalError", "stored resource cannot be opened; see the key broker log");
    }

    @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
    ResponseEntity<byte[]> method(HttpRequestMethodNotSupportedException e) {
        return error(405, "MethodNotAllowed", e.getMessage());
    }

    static ResponseEntity<byte[]> error(int status, String variant, String detail) {
        String d = detail == null ? "" : detail.length() > 2000 ? detail.substring(0, 2000) : detail;
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(ErrorInformation.of(variant, d).toJsonBytes());
    }
}
