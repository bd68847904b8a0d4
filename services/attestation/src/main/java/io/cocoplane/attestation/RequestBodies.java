package io.cocoplane.attestation;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

import io.cocoplane.attestation.core.BadRequestException;

/** Reads a request body with a size cap, so an oversized body is refused before it is buffered whole. */
final class RequestBodies {

    private RequestBodies() {
    }

    /**
     * @param request  the servlet request
     * @param maxBytes the cap
     * @return the body
     * @throws PayloadTooLargeException when the body exceeds the cap
     * @throws BadRequestException      when it cannot be read
     */
    static byte[] read(HttpServletRequest request, int maxBytes) {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            throw new PayloadTooLargeException("request body of " + declared + " bytes exceeds " + maxBytes);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] body = in.readNBytes(maxBytes + 1);
            if (body.length > maxBytes) {
                throw new PayloadTooLargeException("request body exceeds " + maxBytes + " bytes");
            }
            return body;
        } catch (IOException e) {
            throw new BadRequestException("cannot read the request body: " + e.getMessage(), e);
        }
    }

    /** The body is over the limit (413). */
    static final class PayloadTooLargeException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        PayloadTooLargeException(String message) {
            super(message);
        }
    }
}
