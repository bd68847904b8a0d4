package io.cocoplane.gateway.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.http.CacheControl;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.gateway.domain.InvalidRequestException;
import io.cocoplane.gateway.domain.RegistryScope;
import io.cocoplane.gateway.domain.RegistryTokenIssuer;
import io.cocoplane.gateway.registry.RegistryTokens;
import io.cocoplane.gateway.security.Roles;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import jakarta.servlet.http.HttpServletRequest;

/**
 * The Docker token endpoint (distribution {@code docs/spec/auth/token.md}) and the JWKS the registry verifies tokens
 * with. {@code GET /auth/token?service=…&scope=…} with Basic credentials of a registry client or a bearer JWT answers
 * {@code {"token","access_token","expires_in","issued_at"}}; the scopes are cut down to the caller's roles
 * ({@link RegistryScope#grant}).
 */
@RestController
public class RegistryTokenController {

    private final RegistryTokens tokens;

    /** @param tokens issuer */
    public RegistryTokenController(RegistryTokens tokens) {
        this.tokens = tokens;
    }

    /**
     * @param service the registry's service name (token audience)
     * @param scopeForDocs the {@code scope} parameter as documented (read from {@code request})
     * @param request the request; each {@code scope} parameter may hold several scopes, separated by spaces
     * @param auth    the caller
     * @return the token response, {@code Cache-Control: no-store}
     */
    @Operation(summary = "Docker registry bearer token")
    @GetMapping(path = "/auth/token", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> token(@RequestParam(required = false) String service,
                                                     @Parameter(description = "scope, e.g. repository:foo:pull,push;"
                                                             + " repeatable") @RequestParam(name = "scope",
                                                             required = false) String scopeForDocs,
                                                     HttpServletRequest request, Authentication auth) {
        // read the raw values: a List<String> @RequestParam would split "pull,push" at the comma
        String[] scopes = request.getParameterValues("scope");
        if (service == null || !tokens.services().contains(service)) {
            throw new InvalidRequestException("service must be one of " + tokens.services());
        }
        List<RegistryScope> requested = new ArrayList<>();
        if (scopes != null) {
            for (String param : scopes) {
                for (String s : param.trim().split(" +")) {
                    if (s.isEmpty()) {
                        continue;
                    }
                    if (requested.size() == RegistryScope.MAX_SCOPES) {
                        throw new InvalidRequestException("at most " + RegistryScope.MAX_SCOPES + " scopes");
                    }
                    requested.add(RegistryScope.parse(s));
                }
            }
        }
        List<RegistryScope> granted = RegistryScope.grant(requested, Roles.of(auth));
        RegistryTokenIssuer.Issued t = tokens.issue(auth.getName(), service, granted);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", t.token());
        body.put("access_token", t.token());
        body.put("expires_in", t.expiresIn());
        body.put("issued_at", t.issuedAt().toString());
        return ResponseEntity.ok().cacheControl(CacheControl.noStore()).body(body);
    }

    /** @return the public JWK Set of the registry token key */
    @Operation(summary = "Public keys of registry tokens (JWKS)")
    @GetMapping(path = "/auth/jwks.json", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> jwks() {
        return tokens.jwks().toJSONObject(true);
    }
}
