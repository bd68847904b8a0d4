package io.cocoplane.keybroker.domain;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The master keys (key-encryption keys) that wrap the per-secret data keys: an id → 32-byte AES-256 key map and the
 * id of the <em>primary</em> key new data keys are wrapped with. The other keys are kept only to unwrap data keys
 * written before a rotation. Ids match {@code [A-Za-z0-9._-]{1,64}}.
 */
public final class MasterKeyring {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    private final Map<String, SecretKey> keys;
    private final String primaryId;

    /**
     * @param keys      id → raw key bytes (each exactly 32 bytes); copied
     * @param primaryId the id new data keys are wrapped with; must be in {@code keys}
     * @throws IllegalArgumentException when the map is empty, an id is malformed, a key is not 32 bytes, or the
     *                                  primary id is unknown
     */
    public MasterKeyring(Map<String, byte[]> keys, String primaryId) {
        if (keys == null || keys.isEmpty()) {
            throw new IllegalArgumentException("no master key configured");
        }
        Map<String, SecretKey> copy = new LinkedHashMap<>();
        keys.forEach((id, raw) -> {
            if (id == null || !ID.matcher(id).matches()) {
                throw new IllegalArgumentException("master key id must match " + ID + ": " + id);
            }
            if (raw == null || raw.length != 32) {
                throw new IllegalArgumentException("master key " + id + " must be 32 bytes (AES-256)");
            }
            copy.put(id, new SecretKeySpec(raw.clone(), "AES"));
        });
        if (primaryId == null || !copy.containsKey(primaryId)) {
            throw new IllegalArgumentException("primary master key " + primaryId + " is not configured");
        }
        this.keys = Map.copyOf(copy);
        this.primaryId = primaryId;
    }

    /** @return the primary key id */
    public String primaryId() {
        return primaryId;
    }

    /** @return every configured id */
    public Set<String> ids() {
        return keys.keySet();
    }

    /**
     * @param newPrimary a configured id
     * @return a keyring with the same keys and another primary
     * @throws IllegalArgumentException when the id is not configured
     */
    public MasterKeyring withPrimary(String newPrimary) {
        if (!keys.containsKey(newPrimary)) {
            throw new IllegalArgumentException("master key " + newPrimary + " is not configured");
        }
        Map<String, byte[]> raw = new LinkedHashMap<>();
        keys.forEach((id, k) -> raw.put(id, k.getEncoded()));
        return new MasterKeyring(raw, newPrimary);
    }

    SecretKey key(String id) {
        SecretKey k = keys.get(id);
        if (k == null) {
            throw new SecretIntegrityException("data key is wrapped under master key " + id
                    + ", which is not configured");
        }
        return k;
    }

    /** Never prints key material. */
    @Override
    public String toString() {
        return "MasterKeyring[primary=" + primaryId + ", ids=" + keys.keySet() + "]";
    }
}
