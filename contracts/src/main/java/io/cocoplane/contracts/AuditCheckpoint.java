package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code audit.checkpoint}: The audit log signed a new checkpoint.
 *
 * <p>CloudEvents type {@code io.cocoplane.audit.checkpoint.v1} on topic {@link Topics#AUDIT_CHECKPOINTS}; JSON Schema {@code schemas/audit.checkpoint.v1.json}.
 *
 * @param origin Log origin line of the checkpoint.
 * @param treeSize Number of leaves.
 * @param rootHash Root hash, standard base64 of 32 bytes.
 * @param signedNote The C2SP signed note, verbatim.
 */
public record AuditCheckpoint(String origin, long treeSize, String rootHash, String signedNote) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public AuditCheckpoint {
        Objects.requireNonNull(origin, "origin");
        Objects.requireNonNull(rootHash, "rootHash");
        Objects.requireNonNull(signedNote, "signedNote");
    }

    /** @return {@link #origin()}, the aggregate id and record key */
    @Override
    public String subject() {
        return origin;
    }
}
