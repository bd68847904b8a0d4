package io.cocoplane.registry.web;

import java.util.List;
import java.util.stream.Collectors;

import jakarta.servlet.http.HttpServletRequest;

import io.cocoplane.registry.RegistryProperties;
import io.cocoplane.registry.auth.AccessToken;
import io.cocoplane.registry.auth.InvalidTokenException;
import io.cocoplane.registry.auth.Scope;
import io.cocoplane.registry.auth.TokenVerifier;
import io.cocoplane.registry.oci.OciError;
import io.cocoplane.registry.oci.RegistryException;

/**
 * Docker token authentication for every registry endpoint (registry note §2). A request without a valid
 * {@code Authorization: Bearer <jwt>} gets 401 UNAUTHORIZED with
 * {@code WWW-Authenticate: Bearer realm="<realm>",service="<service>"[,scope="<scopes>"][,error="..."]}; a valid token
 * lacking an action gets the same with {@code error="insufficient_scope"}, so that clients fetch a wider token and
 * retry. Anonymous pulls are refused unless {@code anonymous-pull} is set; with {@code disabled} (development only)
 * everything passes.
 */
public class AuthGuard {

    private static final String ATTRIBUTE = AuthGuard.class.getName() + ".token";

    private final TokenVerifier verifier;
    private final RegistryProperties.Auth cfg;

    /**
     * @param verifier the token verifier, or null when authentication is disabled
     * @param cfg      the auth settings
     */
    public AuthGuard(TokenVerifier verifier, RegistryProperties.Auth cfg) {
        this.verifier = verifier;
        this.cfg = cfg;
    }

    /** @return true when authentication is switched off */
    public boolean disabled() {
        return verifier == null;
    }

    /**
     * @param request the request
     * @param scopes  every scope it needs (empty: any valid token, e.g. for {@code GET /v2/})
     * @throws RegistryException UNAUTHORIZED (401) with a Bearer challenge
     */
    public void require(HttpServletRequest request, List<Scope> scopes) {
        if (verifier == null) {
            return;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            boolean pullOnly = scopes.stream().allMatch(s -> s.type().equals("repository")
                    && s.actions().equals(List.of("pull")));
            if (cfg.anonymousPull() && pullOnly) {
                return;
            }
            throw challenge(scopes, null, "authentication required");
        }
        AccessToken token = token(request, header);
        if (token == null) {
            throw challenge(scopes, "invalid_token", "invalid or expired token");
        }
        for (Scope s : scopes) {
            if (!token.permits(s)) {
                throw challenge(scopes, "insufficient_scope", "token does not grant " + s.challenge());
            }
        }
    }

    /**
     * @return true when the request may act within {@code scope} (no exception; used for the optional source
     *         repository of a cross-repository mount)
     */
    public boolean permits(HttpServletRequest request, Scope scope) {
        if (verifier == null) {
            return true;
        }
        String header = request.getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return cfg.anonymousPull() && scope.actions().equals(List.of("pull"));
        }
        AccessToken token = token(request, header);
        return token != null && token.permits(scope);
    }

    private AccessToken token(HttpServletRequest request, String header) {
        Object cached = request.getAttribute(ATTRIBUTE);
        if (cached instanceof AccessToken t) {
            return t;
        }
        try {
            AccessToken t = verifier.verify(header.substring(7).trim());
            request.setAttribute(ATTRIBUTE, t);
            return t;
        } catch (InvalidTokenException e) {
            return null;
        }
    }

    private RegistryException challenge(List<Scope> scopes, String error, String message) {
        StringBuilder h = new StringBuilder("Bearer realm=\"").append(cfg.realm()).append("\",service=\"")
                .append(cfg.service()).append('"');
        if (!scopes.isEmpty()) {
            h.append(",scope=\"").append(scopes.stream().map(Scope::challenge).collect(Collectors.joining(" ")))
                    .append('"');
        }
        if (error != null) {
            h.append(",error=\"").append(error).append('"');
        }
        String detail = scopes.stream().map(s -> "{Type:" + s.type() + " Name:" + s.name() + " Action:"
                + String.join(",", s.actions()) + "}").collect(Collectors.joining(" "));
        return new RegistryException(OciError.UNAUTHORIZED, 401, message, detail.isEmpty() ? null : detail)
                .header("WWW-Authenticate", h.toString());
    }
}
