package io.cocoplane.registry.web;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.servlet.http.HttpServletRequest;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.registry.RegistryProperties;
import io.cocoplane.registry.auth.Scope;
import io.cocoplane.registry.oci.OciNames;
import io.cocoplane.registry.oci.RegistryException;
import io.cocoplane.registry.store.GarbageCollector;
import io.cocoplane.registry.store.ImageQueries;
import io.cocoplane.registry.store.Views.GcReport;
import io.cocoplane.registry.store.Views.ManifestDetail;
import io.cocoplane.registry.store.Views.RepositoryDetail;
import io.cocoplane.registry.store.Views.RepositoryPage;

/**
 * Read-only image API and the garbage-collection admin operation. Repository names contain slashes, so
 * {@code /api/v1/images/**} is parsed here: {@code <name>} or {@code <name>/manifests/<tag|digest>}. Authorization
 * uses the registry's bearer tokens: listing needs {@code registry:catalog:*}, a repository needs
 * {@code repository:<name>:pull}, garbage collection {@code registry:gc:*}. Errors are RFC 9457 problem+json.
 */
@RestController
public class ImagesController {

    private static final Pattern MANIFEST = Pattern.compile("(.+)/manifests/([^/]+)");

    private final ImageQueries queries;
    private final GarbageCollector gc;
    private final AuthGuard auth;
    private final int maxPage;

    /**
     * @param queries read queries
     * @param gc      garbage collector
     * @param auth    token authentication
     * @param props   settings
     */
    public ImagesController(ImageQueries queries, GarbageCollector gc, AuthGuard auth, RegistryProperties props) {
        this.queries = queries;
        this.gc = gc;
        this.auth = auth;
        this.maxPage = props.limits().maxPageSize();
    }

    /** {@code GET /api/v1/images?n=&last=}: repositories with tags, manifest count and whether any is encrypted. */
    @GetMapping("/api/v1/images")
    public RepositoryPage list(HttpServletRequest req, @RequestParam(required = false) Integer n,
            @RequestParam(required = false) String last) {
        auth.require(req, List.of(Scope.registry("catalog")));
        int limit = n == null || n <= 0 ? maxPage : Math.min(n, maxPage);
        return queries.repositories(last == null || last.isEmpty() ? null : last, limit);
    }

    /** {@code GET /api/v1/images/<name>} or {@code GET /api/v1/images/<name>/manifests/<reference>}. */
    @GetMapping("/api/v1/images/**")
    public Object get(HttpServletRequest req) {
        String path = req.getRequestURI().substring(req.getContextPath().length() + "/api/v1/images/".length());
        Matcher m = MANIFEST.matcher(path);
        if (m.matches()) {
            String name = OciNames.requireName(m.group(1));
            auth.require(req, List.of(Scope.repository(name, "pull")));
            ManifestDetail d = queries.manifest(name, m.group(2)).orElse(null);
            if (d == null) {
                return problem(HttpStatus.NOT_FOUND, "manifest unknown");
            }
            return d;
        }
        String name = OciNames.requireName(path);
        auth.require(req, List.of(Scope.repository(name, "pull")));
        RepositoryDetail d = queries.repository(name).orElse(null);
        return d == null ? problem(HttpStatus.NOT_FOUND, "repository unknown") : d;
    }

    /** {@code POST /api/v1/admin/gc?dryRun=true|false} (default: dry run). */
    @PostMapping("/api/v1/admin/gc")
    public GcReport gc(HttpServletRequest req, @RequestParam(defaultValue = "true") boolean dryRun) {
        auth.require(req, List.of(Scope.registry("gc")));
        return gc.collect(dryRun);
    }

    /** Refusals as problem+json (with the Bearer challenge on 401). */
    @ExceptionHandler(RegistryException.class)
    public ResponseEntity<ProblemDetail> refused(RegistryException e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.valueOf(e.status()), e.getMessage());
        p.setTitle(e.code().name());
        ResponseEntity.BodyBuilder b = ResponseEntity.status(e.status());
        e.headers().forEach((k, v) -> b.header(k, v));
        return b.body(p);
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String detail) {
        return ResponseEntity.status(status).body(ProblemDetail.forStatusAndDetail(status, detail));
    }
}
