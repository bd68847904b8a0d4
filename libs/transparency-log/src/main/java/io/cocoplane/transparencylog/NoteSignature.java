package io.cocoplane.transparencylog;

import java.util.Arrays;
import java.util.Base64;

/**
 * One signature line of a c2sp.org/signed-note note: {@code "— " <key name> " " base64(key ID ‖ signature) "\n"}
 * (U+2014 EM DASH, then U+0020). The decoded base64 holds bytes 0..3 the big-endian key ID and bytes 4.. the
 * signature (64 bytes for Ed25519; other types may differ, so any length {@code >= 1} is kept).
 *
 * @param keyName   the key name, non-empty, no whitespace, no '+'
 * @param keyId     the 32-bit key ID
 * @param signature the signature bytes after the key ID (the record keeps a copy)
 */
public record NoteSignature(String keyName, int keyId, byte[] signature) {

    /**
     * @throws MalformedNoteException when the key name is malformed or the signature is empty
     */
    public NoteSignature {
        NoteKeys.requireKeyName(keyName);
        if (signature == null || signature.length == 0) {
            throw new MalformedNoteException("signature is empty");
        }
        signature = signature.clone();
    }

    /**
     * @return a copy of the signature bytes (without the key ID)
     */
    @Override
    public byte[] signature() {
        return signature.clone();
    }

    /**
     * @return the signature line, {@code "— name base64(keyID ‖ sig)\n"}
     */
    public String line() {
        byte[] raw = new byte[4 + signature.length];
        raw[0] = (byte) (keyId >>> 24);
        raw[1] = (byte) (keyId >>> 16);
        raw[2] = (byte) (keyId >>> 8);
        raw[3] = (byte) keyId;
        System.arraycopy(signature, 0, raw, 4, signature.length);
        return "\u2014 " + keyName + " " + Base64.getEncoder().encodeToString(raw) + "\n";
    }

    /**
     * @param o another object
     * @return true when name, key ID and signature bytes are equal
     */
    @Override
    public boolean equals(Object o) {
        return o instanceof NoteSignature s && s.keyName.equals(keyName) && s.keyId == keyId
                && Arrays.equals(s.signature, signature);
    }

    /**
     * @return a hash over name, key ID and signature bytes
     */
    @Override
    public int hashCode() {
        return (keyName.hashCode() * 31 + keyId) * 31 + Arrays.hashCode(signature);
    }

    /**
     * @return the signature line without its newline
     */
    @Override
    public String toString() {
        return line().strip();
    }
}
