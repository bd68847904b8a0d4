package io.cocoplane.contracts;

import java.util.Objects;

/**
 * {@code key.released}: The key broker released a resource to an attested TEE.
 *
 * <p>CloudEvents type {@code io.cocoplane.key.released.v1} on topic {@link Topics#KEY_EVENTS}; JSON Schema {@code schemas/key.released.v1.json}.
 *
 * @param resourcePath KBS resource path "<repository>/<type>/<tag>".
 * @param tee TEE kind.
 * @param initDataDigest Init-data digest from the token, or null.
 * @param workloadId Bound workload, or null.
 * @param tokenId "jti" of the EAR token.
 * @param reason Policy decision reason.
 */
public record KeyReleased(String resourcePath, String tee, String initDataDigest, String workloadId, String tokenId, String reason) implements CocoEvent {

    /** Checks required members; lists and maps are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public KeyReleased {
        Objects.requireNonNull(resourcePath, "resourcePath");
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return {@link #resourcePath()}, the aggregate id and record key */
    @Override
    public String subject() {
        return resourcePath;
    }
}
