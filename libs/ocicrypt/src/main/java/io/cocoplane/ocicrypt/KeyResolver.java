package io.cocoplane.ocicrypt;

import java.util.Optional;

/**
 * Maps the key id ({@code kid}) of a CoCo key-provider packet, typically a KBS resource URI such as
 * {@code kbs:///default/image-kek/coco-fixture}, to the 32-byte key-encryption key (KEK) that wraps the layer's private
 * options (registry note §4.1). In the guest this lookup is the attested KBS {@code GET /kbs/v0/resource/...}; in the
 * control plane it is the key broker's resource store.
 */
@FunctionalInterface
public interface KeyResolver {

    /**
     * @param kid the packet's {@code kid}, exactly as stored (at most {@link KeyProviderPacket#MAX_KID_CHARS} chars)
     * @return the 32-byte KEK, or empty when this resolver does not know the id
     * @throws KeyUnwrapException when the lookup itself fails (e.g. the key broker refuses to release the key)
     */
    Optional<byte[]> resolveKek(String kid) throws KeyUnwrapException;
}
