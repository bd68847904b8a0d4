package io.cocoplane.ocicrypt;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Encryption inventory of one OCI image manifest, produced by {@link ManifestInspector#inspect(byte[])}.
 *
 * @param layers one entry per {@code layers[]} descriptor, in manifest order
 */
public record ManifestEncryptionSummary(List<LayerEncryptionInfo> layers) {

    /**
     * Copies the list.
     */
    public ManifestEncryptionSummary {
        layers = List.copyOf(layers);
    }

    /**
     * @return true when at least one layer is encrypted
     */
    public boolean anyEncrypted() {
        return layers.stream().anyMatch(LayerEncryptionInfo::encrypted);
    }

    /**
     * @return true when there is at least one layer and every layer is encrypted (the admission rule for a
     *         confidential repository, registry note §7.5)
     */
    public boolean allEncrypted() {
        return !layers.isEmpty() && layers.stream().allMatch(LayerEncryptionInfo::encrypted);
    }

    /**
     * @return the distinct key-provider {@code kid}s of all layers, in first-seen order
     */
    public Set<String> keyIds() {
        Set<String> out = new LinkedHashSet<>();
        layers.forEach(l -> out.addAll(l.keyIds()));
        return out;
    }

    /**
     * @return the distinct {@code kid}s that are KBS resource URIs ({@link KbsResourceUri#parse}), in first-seen order
     */
    public Set<String> kbsKeyIds() {
        Set<String> out = new LinkedHashSet<>();
        for (String kid : keyIds()) {
            if (KbsResourceUri.parse(kid).isPresent()) {
                out.add(kid);
            }
        }
        return out;
    }
}
