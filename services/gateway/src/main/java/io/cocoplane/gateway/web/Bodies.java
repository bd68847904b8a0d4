package io.cocoplane.gateway.web;

import java.io.IOException;
import java.io.InputStream;

import jakarta.servlet.http.HttpServletRequest;

/** Reads request bodies with a size limit. */
final class Bodies {

    private Bodies() {
    }

    /**
     * @param request the request
     * @param limit   most bytes accepted
     * @return the whole body
     * @throws PayloadTooLargeException when {@code Content-Length} or the actual body exceeds the limit
     * @throws IOException              when reading fails
     */
    static byte[] read(HttpServletRequest request, long limit) throws IOException {
        if (request.getContentLengthLong() > limit) {
            throw new PayloadTooLargeException(limit);
        }
        try (InputStream in = request.getInputStream()) {
            byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (b.length > limit) {
                throw new PayloadTooLargeException(limit);
            }
            return b;
        }
    }
}
