package io.cocoplane.orchestrator.web;

import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.orchestrator.persistence.WorkloadRepository;
import io.cocoplane.orchestrator.persistence.WorkloadRepository.HistoryEntry;
import io.cocoplane.orchestrator.persistence.WorkloadRepository.Workload;

/**
 * Read API of the orchestrator.
 * <ul>
 *   <li>{@code GET /api/v1/workloads?limit=50&offset=0}: summaries (no history), newest first; {@code limit} 1..100,
 *       {@code offset} 0..1,000,000 (400 problem+json otherwise);</li>
 *   <li>{@code GET /api/v1/workloads/{id}}: state, reason, pod, digests and the full history; 404 problem+json for an
 *       unknown id, 400 for an id outside {@code [A-Za-z0-9_-][A-Za-z0-9._-]{0,62}} (not echoed).</li>
 * </ul>
 */
@RestController
@RequestMapping("/api/v1/workloads")
public class WorkloadController {

    /** One transition in the history. */
    public record HistoryView(long seq, String from, String to, String reason, String detail, String cause,
                              Instant at) {
    }

    /**
     * A workload as served.
     *
     * @param id                workload id
     * @param name              workload name
     * @param namespace         namespace
     * @param tee               TEE kind
     * @param requestedImage    image as requested
     * @param image             image pinned by digest, once scheduled
     * @param imageDigest       manifest digest, once scheduled
     * @param runtimeClass      RuntimeClass, once scheduled
     * @param pod               pod name, once scheduled
     * @param initDataDigest    init-data digest (hex), once scheduled
     * @param initDataAlgorithm init-data algorithm, once scheduled
     * @param allowedResources  KBS resource paths the workload may receive, once scheduled
     * @param state             lifecycle state
     * @param reason            failure reason, or null
     * @param detail            detail of the last transition, or null
     * @param podReady          last observed pod readiness
     * @param attested          whether attestation succeeded
     * @param requestedAt       when requested
     * @param scheduledAt       when the pod was created, or null
     * @param updatedAt         last change
     * @param history           transitions, oldest first (only on the single-workload read)
     */
    public record WorkloadView(String id, String name, String namespace, String tee, String requestedImage,
                               String image, String imageDigest, String runtimeClass, String pod,
                               String initDataDigest, String initDataAlgorithm, List<String> allowedResources,
                               String state, String reason, String detail, boolean podReady, boolean attested,
                               Instant requestedAt, Instant scheduledAt, Instant updatedAt,
                               List<HistoryView> history) {
    }

    /** Thrown for bad query input; answered 400. */
    static final class BadRequest extends RuntimeException {
        BadRequest(String message) {
            super(message);
        }
    }

    /** Grammar of a workload id in a path (ids are UUIDs; anything else is refused before a lookup). */
    private static final Pattern WORKLOAD_ID = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,62}");

    private final WorkloadRepository workloads;

    WorkloadController(WorkloadRepository workloads) {
        this.workloads = workloads;
    }

    @GetMapping
    List<WorkloadView> list(@RequestParam(defaultValue = "50") int limit,
                            @RequestParam(defaultValue = "0") long offset) {
        if (limit < 1 || limit > 100) {
            throw new BadRequest("limit must be between 1 and 100");
        }
        if (offset < 0 || offset > 1_000_000) {
            throw new BadRequest("offset must be between 0 and 1000000");
        }
        return workloads.list(limit, offset).stream().map(w -> view(w, null)).toList();
    }

    @GetMapping("/{id}")
    ResponseEntity<?> get(@PathVariable String id) {
        if (!WORKLOAD_ID.matcher(id).matches()) {
            // never echoed: the id may be an injection or traversal attempt
            throw new BadRequest("workload ids are 1..63 characters of [A-Za-z0-9._-], not starting with '.'");
        }
        return workloads.find(id)
                .<ResponseEntity<?>>map(w -> ResponseEntity.ok(view(w, workloads.history(id))))
                .orElseGet(() -> {
                    ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, "no workload " + id);
                    p.setTitle("Workload not found");
                    return ResponseEntity.status(HttpStatus.NOT_FOUND).body(p);
                });
    }

    @ExceptionHandler(BadRequest.class)
    ProblemDetail badRequest(BadRequest e) {
        ProblemDetail p = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, e.getMessage());
        p.setTitle("Bad request");
        return p;
    }

    private static WorkloadView view(Workload w, List<HistoryEntry> history) {
        var s = w.spec();
        var l = w.lifecycle();
        var p = w.placement();
        return new WorkloadView(s.id(), s.name(), s.namespace(), s.tee(), s.image(),
                p == null ? null : p.image(), p == null ? null : p.imageDigest(),
                p == null ? null : p.runtimeClass(), p == null ? null : p.podName(),
                p == null ? null : p.initDataDigest(), p == null ? null : p.initDataAlgorithm(),
                p == null ? List.of() : p.allowedResources(), l.state().name(),
                l.reason() == null ? null : l.reason().name(), l.detail(), l.podReady(), l.attested(),
                l.requestedAt(), l.scheduledAt(), w.updatedAt(),
                history == null ? null : history.stream().map(h -> new HistoryView(h.seq(), h.from(), h.to(),
                        h.reason(), h.detail(), h.cause(), h.at())).toList());
    }
}
