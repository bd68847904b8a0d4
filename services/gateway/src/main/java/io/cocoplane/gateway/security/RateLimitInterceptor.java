package io.cocoplane.gateway.security;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.servlet.HandlerInterceptor;

import io.cocoplane.gateway.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Applies {@link WriteRateLimiter} to write requests (anything but GET, HEAD, OPTIONS) after authorization, keyed by
 * the authenticated subject; over the limit it answers 429 problem+json with {@code Retry-After} in seconds
 * (RFC 9110 §10.2.3).
 */
public final class RateLimitInterceptor implements HandlerInterceptor {

    private final WriteRateLimiter limiter;
    private final JsonMapper json;

    /**
     * @param limiter limiter
     * @param json    mapper
     */
    public RateLimitInterceptor(WriteRateLimiter limiter, JsonMapper json) {
        this.limiter = limiter;
        this.json = json;
    }

    @Override
    public boolean preHandle(HttpServletRequest request, HttpServletResponse response, Object handler)
            throws Exception {
        String m = request.getMethod();
        if (m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS")) {
            return true;
        }
        Authentication auth = SecurityContextHolder.getContext().getAuthentication();
        if (auth == null || !auth.isAuthenticated()) {
            return true;
        }
        long retryAfter = limiter.tryAcquire(auth.getName());
        if (retryAfter == 0) {
            return true;
        }
        response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
        ProblemDetail p = Problems.of(HttpStatus.TOO_MANY_REQUESTS, "rate-limited",
                "too many write requests; retry after " + retryAfter + " s");
        Problems.write(request, response, json, p);
        return false;
    }
}
