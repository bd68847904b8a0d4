package io.cocoplane.audit;

import java.util.List;

/**
 * JSON bodies of the audit API. Hashes and leaf bytes are standard padded base64 strings; indexes and sizes are
 * 0-based leaf counts as in RFC 9162.
 */
public final class AuditViews {

    private AuditViews() {
    }

    /**
     * One log entry.
     *
     * @param index    0-based leaf index
     * @param eventId  CloudEvents {@code id}
     * @param type     CloudEvents {@code type}
     * @param subject  CloudEvents {@code subject}
     * @param source   CloudEvents {@code source}
     * @param time     CloudEvents {@code time} (RFC 3339), or null
     * @param topic    Kafka topic it was read from
     * @param leaf     base64 of the entry bytes (RFC 8785 canonical CloudEvent JSON)
     * @param leafHash base64 of {@code SHA-256(0x00 ‖ leaf)} (RFC 9162 §2.1.1)
     */
    public record Entry(long index, String eventId, String type, String subject, String source, String time,
                        String topic, String leaf, String leafHash) {
    }

    /**
     * A page of entries in index order.
     *
     * @param entries  at most {@code limit} entries
     * @param next     the value to pass as {@code after} for the next page, or null when this page was the last
     * @param treeSize the committed tree size when the page was read
     */
    public record EntryPage(List<Entry> entries, Long next, long treeSize) {
    }

    /**
     * An RFC 9162 §2.1.3 inclusion proof.
     *
     * @param index    leaf index
     * @param treeSize tree size the proof is for
     * @param leafHash base64 leaf hash
     * @param rootHash base64 {@code MTH(D[0:treeSize])} as stored (check it against a signed checkpoint)
     * @param hashes   the audit path, leaf side first, base64
     */
    public record InclusionProof(long index, long treeSize, String leafHash, String rootHash, List<String> hashes) {
    }

    /**
     * An RFC 9162 §2.1.4 consistency proof.
     *
     * @param from     earlier tree size, {@code >= 1}
     * @param to       later tree size
     * @param fromRoot base64 root of the earlier tree as stored
     * @param toRoot   base64 root of the later tree as stored
     * @param hashes   the proof, base64
     */
    public record ConsistencyProof(long from, long to, String fromRoot, String toRoot, List<String> hashes) {
    }
}
