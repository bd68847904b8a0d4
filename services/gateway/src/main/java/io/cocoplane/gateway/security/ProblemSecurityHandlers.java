package io.cocoplane.gateway.security;

import java.io.IOException;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;

import io.cocoplane.gateway.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Spring Security's 401 and 403 answers as RFC 9457 problems, with the RFC 6750 §3 challenge
 * ({@code WWW-Authenticate: Bearer}, plus {@code Basic} where Basic credentials are accepted). The detail never
 * repeats the token or the credentials.
 */
public final class ProblemSecurityHandlers implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final JsonMapper json;
    private final boolean basicToo;

    /**
     * @param json     mapper
     * @param basicToo whether to add a {@code Basic} challenge
     */
    public ProblemSecurityHandlers(JsonMapper json, boolean basicToo) {
        this.json = json;
        this.basicToo = basicToo;
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        boolean badToken = e instanceof InvalidBearerTokenException;
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, badToken
                ? "Bearer realm=\"cocoplane\", error=\"invalid_token\"" : "Bearer realm=\"cocoplane\"");
        if (basicToo) {
            response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"cocoplane\"");
        }
        Problems.write(request, response, json, Problems.of(HttpStatus.UNAUTHORIZED, "unauthenticated",
                badToken ? "the bearer token is invalid or expired" : "authentication required"));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        response.addHeader(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"cocoplane\", error=\"insufficient_scope\"");
        Problems.write(request, response, json, Problems.of(HttpStatus.FORBIDDEN, "forbidden",
                "your roles do not allow this request"));
    }
}
