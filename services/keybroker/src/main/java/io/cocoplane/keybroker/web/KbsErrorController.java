package io.cocoplane.keybroker.web;

import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The error page of the servlet container (replaces Spring Boot's {@code BasicErrorController}): failures that never
 * reach {@link KbsController} — a request body that stalls past {@code server.tomcat.connection-timeout} (408), a
 * request line Tomcat refuses — get the trustee body {@code {"type","detail"}} too, never Spring's default JSON.
 * Variants: 404 {@code PluginNotFound}, 405 {@code MethodNotAllowed}, 408 {@code RequestTimeout}, 413
 * {@code PayloadTooLarge}, other 4xx {@code SerdeError}, 5xx {@code PluginInternalError}.
 */
@RestController
public class KbsErrorController implements ErrorController {

    /**
     * @param req the error dispatch ({@link RequestDispatcher#ERROR_STATUS_CODE} holds the status)
     * @return the status of the failure with its trustee error body
     */
    @RequestMapping("${server.error.path:/error}")
    public ResponseEntity<byte[]> error(HttpServletRequest req) {
        int status = req.getAttribute(RequestDispatcher.ERROR_STATUS_CODE) instanceof Integer i ? i : 500;
        String variant = switch (status) {
            case 404 -> "PluginNotFound";
            case 405 -> "MethodNotAllowed";
            case 408 -> "RequestTimeout";
            case 413 -> "PayloadTooLarge";
            default -> status < 500 ? "SerdeError" : "PluginInternalError";
        };
        String detail = status == 408 ? "the request was not received within the server's read timeout"
                : status < 500 ? "request refused by the server (HTTP " + status + ")"
                : "internal error; see the key broker log";
        return KbsErrorAdvice.error(status < 400 ? 500 : status, variant, detail);
    }
}
