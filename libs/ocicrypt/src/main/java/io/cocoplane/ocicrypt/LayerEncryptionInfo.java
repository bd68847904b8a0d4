package io.cocoplane.ocicrypt;

import java.util.List;

/**
 * What {@link ManifestInspector} reports for one layer descriptor of a manifest.
 *
 * @param index          0-based position in the manifest's {@code layers} array
 * @param mediaType      the descriptor media type as stored
 * @param digest         the descriptor digest ({@code algorithm:hex}) as stored
 * @param size           the descriptor size in bytes
 * @param encrypted      true when the media type ends in {@code +encrypted}
 * @param recipientKinds the key-wrap schemes present, from the {@code org.opencontainers.image.enc.keys.<scheme>}
 *                       annotation names: {@code jwe}, {@code pkcs7}, {@code pgp}, {@code pkcs11}, or
 *                       {@code provider:<name>} for key providers, in annotation order
 * @param jweAlgorithms  the JOSE {@code alg} of every JWE recipient, in order (empty without a JWE annotation)
 * @param keyIds         the {@code kid} of every parseable key-provider packet, in order
 */
public record LayerEncryptionInfo(int index, String mediaType, String digest, long size, boolean encrypted,
        List<String> recipientKinds, List<String> jweAlgorithms, List<String> keyIds) {

    /**
     * Copies the lists.
     */
    public LayerEncryptionInfo {
        recipientKinds = List.copyOf(recipientKinds);
        jweAlgorithms = List.copyOf(jweAlgorithms);
        keyIds = List.copyOf(keyIds);
    }
}
