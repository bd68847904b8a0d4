package io.cocoplane.ocicrypt;

import java.util.Arrays;

/**
 * A CoCo key-provider recipient: the layer's private options are wrapped under {@code kek} (AES-256-GCM) and the
 * packet names {@code kid} so that an attested guest can fetch the KEK from the KBS (registry note §4.1).
 *
 * @param kid key id, normally {@code kbs:///<repository>/<type>/<tag>}
 * @param kek the 32-byte key-encryption key (copied on construction and access)
 */
public record CocoRecipient(String kid, byte[] kek) {

    /**
     * @throws IllegalArgumentException when {@code kid} is null or empty or {@code kek} is not 32 bytes
     */
    public CocoRecipient {
        if (kid == null || kid.isEmpty()) {
            throw new IllegalArgumentException("kid is required");
        }
        if (kek == null || kek.length != CocoKeyWrapper.KEK_BYTES) {
            throw new IllegalArgumentException("KEK must be " + CocoKeyWrapper.KEK_BYTES + " bytes");
        }
        kek = kek.clone();
    }

    /** @return a copy of the KEK */
    @Override
    public byte[] kek() {
        return kek.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CocoRecipient r && kid.equals(r.kid) && Arrays.equals(kek, r.kek);
    }

    @Override
    public int hashCode() {
        return kid.hashCode();
    }

    /** @return a description without the KEK */
    @Override
    public String toString() {
        return "CocoRecipient[kid=" + kid + ", kek=<redacted>]";
    }
}
