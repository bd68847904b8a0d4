package io.cocoplane.gateway.web;

import java.util.List;
import java.util.regex.Pattern;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.gateway.domain.ImageReference;
import io.cocoplane.gateway.domain.InvalidRequestException;
import io.cocoplane.gateway.domain.RegistryScope;
import io.cocoplane.gateway.registry.RegistryTokens;
import io.cocoplane.gateway.upstream.Upstream;
import io.cocoplane.gateway.upstream.UpstreamClient;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;

/**
 * Reads routed to their owners: {@code /api/v1/images…} to the registry (role deployer) and {@code /api/v1/audit/**}
 * to the audit service (role auditor). Paths are checked against a strict grammar before they are forwarded, so a
 * caller cannot reach another upstream endpoint ({@code ..}, encoded slashes and the like are refused with 400).
 * The registry's image API takes the registry's own bearer tokens, so image reads carry one the gateway mints for
 * the call: {@code registry:catalog:*} for the list, {@code repository:<name>:pull} for one repository; subject = the
 * caller's JWT subject.
 */
@RestController
@RequestMapping("/api/v1")
public class ReadController {

    private static final String IMAGES = "/api/v1/images/";
    private static final String AUDIT = "/api/v1/audit";
    private static final Pattern AUDIT_SEGMENT = Pattern.compile("[A-Za-z0-9_~-][A-Za-z0-9._~-]{0,199}");
    private static final int MAX_AUDIT_SEGMENTS = 16;

    private final UpstreamClient upstreams;
    private final RegistryTokens registryTokens;

    /**
     * @param upstreams      upstream client
     * @param registryTokens mints the registry tokens image reads carry
     */
    public ReadController(UpstreamClient upstreams, RegistryTokens registryTokens) {
        this.upstreams = upstreams;
        this.registryTokens = registryTokens;
    }

    private String registryToken(HttpServletRequest request, RegistryScope scope) {
        String subject = request.getUserPrincipal() == null ? "gateway" : request.getUserPrincipal().getName();
        return registryTokens.issue(subject, registryTokens.services().get(0), List.of(scope)).token();
    }

    /**
     * @param request the request (query forwarded)
     * @return the registry's image list
     */
    @Operation(summary = "List images (from the registry)")
    @GetMapping(path = "/images", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> images(HttpServletRequest request) {
        return Relay.relay(upstreams.get(Upstream.REGISTRY, "/api/v1/images", request.getQueryString(),
                registryToken(request, new RegistryScope("registry", "catalog", List.of("*")))), Upstream.REGISTRY);
    }

    /**
     * @param request the request; the path after {@code /images/} is the repository, which may contain slashes
     * @return the registry's view of the repository
     */
    @Operation(summary = "Get one repository (from the registry); the repository may contain slashes")
    @GetMapping(path = "/images/**", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> image(HttpServletRequest request) {
        String uri = request.getRequestURI();
        String repository = uri.startsWith(IMAGES) ? uri.substring(IMAGES.length()) : "";
        if (!ImageReference.isRepository(repository)) {
            throw new InvalidRequestException("repository must follow the OCI repository grammar");
        }
        return Relay.relay(upstreams.get(Upstream.REGISTRY, "/api/v1/images/" + repository,
                request.getQueryString(), registryToken(request, new RegistryScope("repository", repository,
                        List.of("pull")))), Upstream.REGISTRY);
    }

    /**
     * @param request the request; path and query after {@code /api/v1/audit} are forwarded
     * @return the audit service's answer
     */
    @Operation(summary = "Audit log reads (from the audit service): entries, checkpoints, proofs")
    @GetMapping(path = {"/audit", "/audit/**"}, produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> audit(HttpServletRequest request) {
        String rest = request.getRequestURI().substring(AUDIT.length());
        if (!rest.isEmpty()) {
            String[] segments = rest.substring(1).split("/", -1);
            if (!rest.startsWith("/") || segments.length > MAX_AUDIT_SEGMENTS) {
                throw new InvalidRequestException("audit path too long");
            }
            for (String s : segments) {
                if (!AUDIT_SEGMENT.matcher(s).matches()) {
                    throw new InvalidRequestException("audit path segments must match [A-Za-z0-9._~-]+ "
                            + "and not start with '.'");
                }
            }
        }
        return Relay.relay(upstreams.get(Upstream.AUDIT, "/api/v1/audit" + rest, request.getQueryString()),
                Upstream.AUDIT);
    }
}
