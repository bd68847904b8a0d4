package io.cocoplane.transparencylog;

import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 verifier of c2sp.org/signed-note signatures.
 *
 * <p>Verifier key string: {@code <name>+<hex key ID>+<base64(0x01 ‖ public key)>}, where the key ID is 8 lowercase
 * hex digits of the big-endian 32-bit value {@code SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4]} and the base64
 * (standard, padded) decodes to 33 bytes: byte 0 the signature type {@code 0x01} (Ed25519), bytes 1..32 the RFC 8032
 * public key. Example: {@code example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k}.
 * Immutable and thread-safe.
 */
public final class NoteVerifier {

    private final String name;
    private final int keyId;
    private final byte[] publicKey;
    private final Ed25519PublicKeyParameters key;

    private NoteVerifier(String name, byte[] publicKey) {
        this.name = NoteKeys.requireKeyName(name);
        if (publicKey == null || publicKey.length != Ed25519PublicKeyParameters.KEY_SIZE) {
            throw new MalformedNoteException("Ed25519 public key must be 32 bytes");
        }
        this.publicKey = publicKey.clone();
        try {
            this.key = new Ed25519PublicKeyParameters(this.publicKey, 0);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException("not a valid Ed25519 public key", e);
        }
        this.keyId = NoteKeys.keyId(name, NoteKeys.ALG_ED25519, this.publicKey);
    }

    /**
     * Builds a verifier from a key name and a raw public key.
     *
     * @param name      the key name (non-empty, no whitespace, no '+')
     * @param publicKey the 32-byte RFC 8032 Ed25519 public key
     * @return the verifier
     * @throws MalformedNoteException when the name or key is malformed
     */
    public static NoteVerifier of(String name, byte[] publicKey) {
        return new NoteVerifier(name, publicKey);
    }

    /**
     * Parses a verifier key string {@code <name>+<hex8 key ID>+<base64(0x01 ‖ public key)>}: the name ends at the
     * first '+', the key ID at the second; the rest is the base64 key.
     *
     * @param verifierKey the key string, at most 1024 characters
     * @return the verifier
     * @throws MalformedNoteException when the string is too long, lacks the two '+' separators after the name and key
     *                                ID (the base64 may itself contain '+'), the
     *                                key ID is not 8 lowercase hex digits or does not match the key, the base64 is
     *                                not canonical, the type byte is not 0x01 or the key is not 32 bytes
     */
    public static NoteVerifier parse(String verifierKey) {
        if (verifierKey == null || verifierKey.length() > 1024) {
            throw new MalformedNoteException("verifier key is missing or longer than 1024 characters");
        }
        String[] parts = verifierKey.split("\\+", 3);
        if (parts.length != 3) {
            throw new MalformedNoteException("verifier key must be <name>+<hex key ID>+<base64 key>");
        }
        int id = NoteKeys.parseHex8(parts[1], "verifier key ID");
        byte[] raw = NoteKeys.decodeBase64(parts[2], "verifier key");
        if (raw.length != 1 + Ed25519PublicKeyParameters.KEY_SIZE || raw[0] != NoteKeys.ALG_ED25519) {
            throw new MalformedNoteException("verifier key must be 0x01 followed by a 32-byte Ed25519 key");
        }
        NoteVerifier v = new NoteVerifier(parts[0], Arrays.copyOfRange(raw, 1, raw.length));
        if (v.keyId != id) {
            throw new MalformedNoteException("verifier key ID " + parts[1] + " does not match the key (expected "
                    + NoteKeys.hex8(v.keyId) + ")");
        }
        return v;
    }

    /**
     * @return the key name
     */
    public String name() {
        return name;
    }

    /**
     * @return the 32-bit key ID, {@code SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key)[0:4]} read big-endian
     */
    public int keyId() {
        return keyId;
    }

    /**
     * @return a copy of the 32-byte Ed25519 public key
     */
    public byte[] publicKey() {
        return publicKey.clone();
    }

    /**
     * @return the verifier key string {@code <name>+<hex8 key ID>+<base64(0x01 ‖ public key)>}
     */
    public String verifierKey() {
        byte[] raw = new byte[1 + publicKey.length];
        raw[0] = NoteKeys.ALG_ED25519;
        System.arraycopy(publicKey, 0, raw, 1, publicKey.length);
        return name + "+" + NoteKeys.hex8(keyId) + "+" + Base64.getEncoder().encodeToString(raw);
    }

    /**
     * Verifies an Ed25519 signature (RFC 8032) over {@code message}.
     *
     * @param message   the signed bytes (for a note: the UTF-8 text including its final newline)
     * @param signature the 64-byte signature (without the 4-byte key ID)
     * @return true when the signature is valid; false for a wrong length or a bad signature
     */
    public boolean verify(byte[] message, byte[] signature) {
        if (message == null || signature == null || signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
            return false;
        }
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(false, key);
        signer.update(message, 0, message.length);
        return signer.verifySignature(signature);
    }

    /**
     * @return the verifier key string
     */
    @Override
    public String toString() {
        return verifierKey();
    }
}
