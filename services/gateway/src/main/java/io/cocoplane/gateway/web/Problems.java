package io.cocoplane.gateway.web;

import java.io.IOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * RFC 9457 problem details: {@code type} is {@code urn:cocoplane:problem:<slug>}, {@code title} the status phrase,
 * {@code instance} the request path. {@link #write} serves code that runs outside Spring MVC (security filters).
 */
public final class Problems {

    private Problems() {
    }

    /**
     * @param status HTTP status
     * @param slug   problem type slug, e.g. {@code upstream-unavailable}
     * @param detail human-readable explanation (never request content)
     * @return the problem
     */
    public static ProblemDetail of(HttpStatus status, String slug, String detail) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(status, detail);
        p.setType(URI.create("urn:cocoplane:problem:" + slug));
        p.setTitle(status.getReasonPhrase());
        return p;
    }

    /**
     * Writes a problem as {@code application/problem+json}.
     *
     * @param request  the request (its path becomes {@code instance})
     * @param response the response, not yet committed
     * @param json     mapper
     * @param problem  the problem
     * @throws IOException when writing fails
     */
    public static void write(HttpServletRequest request, HttpServletResponse response, JsonMapper json,
                             ProblemDetail problem) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("type", problem.getType().toString());
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(json.writeValueAsBytes(body));
    }
}
