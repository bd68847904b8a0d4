package io.cocoplane.gateway.web;

import java.net.URI;
import java.util.UUID;

import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.gateway.domain.InvalidRequestException;
import io.cocoplane.gateway.domain.WorkloadRequest;
import io.cocoplane.gateway.upstream.Upstream;
import io.cocoplane.gateway.upstream.UpstreamClient;
import io.cocoplane.gateway.workloads.WorkloadCommands;
import io.swagger.v3.oas.annotations.Operation;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

/** {@code /api/v1/workloads}: requests and deletions become commands; reads go to the orchestrator. Role deployer. */
@RestController
@RequestMapping("/api/v1")
public class WorkloadController {

    private final WorkloadCommands commands;
    private final UpstreamClient upstreams;
    private final JsonMapper json;

    /**
     * @param commands  command side
     * @param upstreams upstream client
     * @param json      mapper
     */
    public WorkloadController(WorkloadCommands commands, UpstreamClient upstreams, JsonMapper json) {
        this.commands = commands;
        this.upstreams = upstreams;
        this.json = json;
    }

    /**
     * @param body           the request
     * @param idempotencyKey optional key; a replay gets the first answer
     * @param auth           caller
     * @return 202 with {@code Location} and {@code {"id":…,"status":"REQUESTED"}}
     */
    @Operation(summary = "Request a confidential workload (publishes workload.requested)")
    @PostMapping(path = "/workloads", consumes = MediaType.APPLICATION_JSON_VALUE,
            produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<WorkloadCommands.WorkloadAcceptedBody> create(
            @RequestBody WorkloadRequest body,
            @RequestHeader(name = "Idempotency-Key", required = false) String idempotencyKey,
            Authentication auth) {
        WorkloadCommands.Accepted a = commands.request(auth.getName(), idempotencyKey, body);
        ResponseEntity.BodyBuilder r = ResponseEntity.accepted()
                .location(URI.create("/api/v1/workloads/" + a.workloadId()));
        if (a.replayed()) {
            r.header("Idempotent-Replayed", "true");
        }
        return r.body(json.readValue(a.body(), WorkloadCommands.WorkloadAcceptedBody.class));
    }

    /**
     * @param id   workload id (UUID)
     * @param auth caller
     * @return 202 with {@code {"id":…,"status":"DELETION_REQUESTED"}}
     */
    @Operation(summary = "Request deletion of a workload (publishes workload.deletion-requested)")
    @DeleteMapping(path = "/workloads/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<WorkloadCommands.WorkloadAcceptedBody> delete(@PathVariable String id,
                                                                        Authentication auth) {
        UUID workloadId = uuid(id);
        commands.requestDeletion(auth.getName(), workloadId);
        return ResponseEntity.accepted().location(URI.create("/api/v1/workloads/" + workloadId))
                .body(new WorkloadCommands.WorkloadAcceptedBody(workloadId.toString(), "DELETION_REQUESTED"));
    }

    /**
     * @param request the request (its query string is forwarded)
     * @return the orchestrator's list
     */
    @Operation(summary = "List workloads (from the orchestrator)")
    @GetMapping(path = "/workloads", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> list(HttpServletRequest request) {
        return Relay.relay(upstreams.get(Upstream.ORCHESTRATOR, "/api/v1/workloads", request.getQueryString()),
                Upstream.ORCHESTRATOR);
    }

    /**
     * @param id workload id (UUID)
     * @return the orchestrator's view of the workload
     */
    @Operation(summary = "Get one workload (from the orchestrator)")
    @GetMapping(path = "/workloads/{id}", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<byte[]> get(@PathVariable String id) {
        return Relay.relay(upstreams.get(Upstream.ORCHESTRATOR, "/api/v1/workloads/" + uuid(id), null),
                Upstream.ORCHESTRATOR);
    }

    private static UUID uuid(String id) {
        try {
            if (id.length() != 36) {
                throw new IllegalArgumentException();
            }
            return UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("workload id must be a UUID");
        }
    }
}
