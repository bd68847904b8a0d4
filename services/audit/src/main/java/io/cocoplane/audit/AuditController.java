package io.cocoplane.audit;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.cocoplane.transparencylog.MerkleTree;

/**
 * The audit API under {@code /api/v1/audit}. Errors are RFC 9457 problems ({@link AuditProblems}): 400 for a
 * parameter outside its range, 404 for an entry or checkpoint that does not exist, 503 when an integrity check is
 * already running.
 *
 * <table>
 * <caption>endpoints</caption>
 * <tr><td>{@code GET /checkpoint}</td><td>latest signed note, {@code text/plain}</td></tr>
 * <tr><td>{@code GET /public-key}</td><td>C2SP verifier key {@code <origin>+<hex8>+<base64>}, {@code text/plain}</td></tr>
 * <tr><td>{@code GET /entries?subject=&type=&after=&limit=}</td><td>a page of entries; subject at most 512 chars, type
 * at most 256, after {@code >= 0} (exclusive), limit 1..1000 (default 100)</td></tr>
 * <tr><td>{@code GET /entries/{index}}</td><td>one entry; index {@code >= 0}</td></tr>
 * <tr><td>{@code GET /proofs/inclusion?index=&treeSize=}</td><td>{@code 0 <= index < treeSize <= size}; treeSize
 * defaults to the latest checkpoint's</td></tr>
 * <tr><td>{@code GET /proofs/consistency?from=&to=}</td><td>{@code 1 <= from <= to <= size}; to defaults to the latest
 * checkpoint's</td></tr>
 * <tr><td>{@code POST /integrity-check}</td><td>runs the check, answers its report (200, {@code ok} says the
 * verdict)</td></tr>
 * </table>
 */
@RestController
@RequestMapping("/api/v1/audit")
public class AuditController {

    /** Largest page. */
    public static final int MAX_LIMIT = 1000;
    /** Longest subject filter. */
    public static final int MAX_SUBJECT = 512;
    /** Longest type filter. */
    public static final int MAX_TYPE = 256;

    private static final Base64.Encoder B64 = Base64.getEncoder();
    private static final MediaType TEXT = new MediaType("text", "plain", java.nio.charset.StandardCharsets.UTF_8);

    private final AuditLog auditLog;
    private final LogSigningKey key;
    private final IntegrityChecker integrity;

    /**
     * @param auditLog  the log
     * @param key       the signing key (its public half is served)
     * @param integrity the integrity checker
     */
    public AuditController(AuditLog auditLog, LogSigningKey key, IntegrityChecker integrity) {
        this.auditLog = auditLog;
        this.key = key;
        this.integrity = integrity;
    }

    /**
     * @return the latest signed checkpoint note
     * @throws AuditNotFoundException when none was signed yet
     */
    @GetMapping(value = "/checkpoint", produces = "text/plain;charset=UTF-8")
    public String checkpoint() {
        return auditLog.latestCheckpoint().map(AuditLog.StoredCheckpoint::signedNote)
                .orElseThrow(() -> new AuditNotFoundException("no checkpoint has been signed yet"));
    }

    /**
     * @return the verifier key string of the log
     */
    @GetMapping(value = "/public-key", produces = "text/plain;charset=UTF-8")
    public String publicKey() {
        return key.verifier().verifierKey();
    }

    /**
     * @param subject exact subject, optional
     * @param type    exact CloudEvents type, optional
     * @param after   index cursor (exclusive), optional
     * @param limit   page size
     * @return the page
     */
    @GetMapping("/entries")
    public AuditViews.EntryPage entries(@RequestParam(required = false) String subject,
                                        @RequestParam(required = false) String type,
                                        @RequestParam(required = false) Long after,
                                        @RequestParam(defaultValue = "100") int limit) {
        if (subject != null && (subject.isEmpty() || subject.length() > MAX_SUBJECT)) {
            throw new InvalidAuditRequestException("subject must be 1.." + MAX_SUBJECT + " characters");
        }
        if (type != null && (type.isEmpty() || type.length() > MAX_TYPE)) {
            throw new InvalidAuditRequestException("type must be 1.." + MAX_TYPE + " characters");
        }
        if (after != null && after < 0) {
            throw new InvalidAuditRequestException("after must be >= 0, got " + after);
        }
        if (limit < 1 || limit > MAX_LIMIT) {
            throw new InvalidAuditRequestException("limit must be 1.." + MAX_LIMIT + ", got " + limit);
        }
        return auditLog.entries(subject, type, after, limit);
    }

    /**
     * @param index leaf index, {@code >= 0}
     * @return the entry
     * @throws AuditNotFoundException when the index is not below the tree size
     */
    @GetMapping("/entries/{index}")
    public AuditViews.Entry entry(@PathVariable long index) {
        if (index < 0) {
            throw new InvalidAuditRequestException("index must be >= 0, got " + index);
        }
        return auditLog.entry(index)
                .orElseThrow(() -> new AuditNotFoundException("no entry at index " + index));
    }

    /**
     * @param index    leaf index
     * @param treeSize tree size, default the latest checkpoint's
     * @return the RFC 9162 inclusion proof
     */
    @GetMapping("/proofs/inclusion")
    public AuditViews.InclusionProof inclusion(@RequestParam long index,
                                               @RequestParam(required = false) Long treeSize) {
        long size = treeSize != null ? treeSize : defaultSize();
        long committed = auditLog.state().size();
        if (size < 1 || size > committed) {
            throw new InvalidAuditRequestException("treeSize must be 1.." + committed + ", got " + size);
        }
        if (index < 0 || index >= size) {
            throw new InvalidAuditRequestException("index must be 0.." + (size - 1) + " for tree size " + size
                    + ", got " + index);
        }
        MerkleTree tree = auditLog.treeAt(size);
        return new AuditViews.InclusionProof(index, size, B64.encodeToString(tree.leafHash(index)),
                B64.encodeToString(tree.rootHash()), encode(tree.inclusionProof(index, size)));
    }

    /**
     * @param from earlier size, {@code >= 1}
     * @param to   later size, default the latest checkpoint's
     * @return the RFC 9162 consistency proof
     */
    @GetMapping("/proofs/consistency")
    public AuditViews.ConsistencyProof consistency(@RequestParam long from,
                                                   @RequestParam(required = false) Long to) {
        long size2 = to != null ? to : defaultSize();
        long committed = auditLog.state().size();
        if (size2 < 1 || size2 > committed) {
            throw new InvalidAuditRequestException("to must be 1.." + committed + ", got " + size2);
        }
        if (from < 1 || from > size2) {
            throw new InvalidAuditRequestException("from must be 1.." + size2 + " (at most to), got " + from);
        }
        MerkleTree tree = auditLog.treeAt(size2);
        return new AuditViews.ConsistencyProof(from, size2, B64.encodeToString(tree.rootHash(from)),
                B64.encodeToString(tree.rootHash()), encode(tree.consistencyProof(from, size2)));
    }

    /**
     * @return the report of a fresh integrity check (waits up to 30 s for a running one)
     */
    @PostMapping("/integrity-check")
    public IntegrityReport integrityCheck() {
        return integrity.check(Duration.ofSeconds(30));
    }

    private long defaultSize() {
        return auditLog.latestCheckpoint().map(AuditLog.StoredCheckpoint::treeSize)
                .orElseThrow(() -> new AuditNotFoundException("no checkpoint has been signed yet"));
    }

    private static List<String> encode(List<byte[]> hashes) {
        return hashes.stream().map(B64::encodeToString).toList();
    }
}
