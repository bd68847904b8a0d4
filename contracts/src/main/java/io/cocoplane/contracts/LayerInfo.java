package io.cocoplane.contracts;

import java.util.List;
import java.util.Objects;

/**
 * One layer of an image manifest as the registry saw it on push.
 *
 * @param digest Layer digest, "sha256:<64 hex>".
 * @param mediaType Layer media type; encrypted layers end in "+encrypted".
 * @param size Layer size in bytes.
 * @param encrypted True when the media type carries "+encrypted".
 * @param recipients ocicrypt recipient kinds found in the layer annotations: "jwe", "pkcs7", "pgp", "provider.<name>".
 * @param keyIds CoCo key ids ("kbs:///<repository>/<type>/<tag>") from the attestation-agent key-provider annotation.
 */
public record LayerInfo(String digest, String mediaType, long size, boolean encrypted, List<String> recipients, List<String> keyIds) {

    /** Checks required members; lists are copied unmodifiable. @throws NullPointerException naming a missing required member */
    public LayerInfo {
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(mediaType, "mediaType");
        recipients = List.copyOf(Objects.requireNonNull(recipients, "recipients"));
        keyIds = List.copyOf(Objects.requireNonNull(keyIds, "keyIds"));
    }
}
