package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code key.denied}: The key broker refused a resource request.
 *
 * <p>CloudEvents type {@code io.cocoplane.key.denied.v1} on topic {@link Topics#KEY_EVENTS}; JSON Schema {@code schemas/key.denied.v1.json}.
 *
 * @param resourcePath KBS resource path requested.
 * @param tee TEE kind, or null when unauthenticated.
 * @param initDataDigest Init-data digest from the token, or null.
 * @param workloadId Bound workload, or null.
 * @param tokenId "jti" of the EAR token, or null.
 * @param reason Why it was denied.
 */
public record KeyDenied(String resourcePath, String tee, String initDataDigest, String workloadId, String tokenId, String reason) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public KeyDenied {
        Objects.requireNonNull(resourcePath, "resourcePath");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return {@link #resourcePath()}, the aggregate id and record key */
    @Override
    public String subject() {
        return resourcePath;
    }
}
