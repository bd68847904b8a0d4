package io.cocoplane.transparencylog;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 signer of c2sp.org/signed-note notes (signature type {@code 0x01}).
 *
 * <p>Signer key string (the Go {@code sumdb/note} format): {@code PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 ‖
 * seed)>}, the seed being the 32-byte RFC 8032 private key. {@link #toString()} never shows the seed. Immutable and
 * thread-safe.
 */
public final class NoteSigner {

    private static final String PREFIX = "PRIVATE+KEY+";

    private final Ed25519PrivateKeyParameters privateKey;
    private final NoteVerifier verifier;

    private NoteSigner(String name, byte[] seed) {
        if (seed == null || seed.length != Ed25519PrivateKeyParameters.KEY_SIZE) {
            throw new MalformedNoteException("Ed25519 seed must be 32 bytes");
        }
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.verifier = NoteVerifier.of(name, privateKey.generatePublicKey().getEncoded());
    }

    /**
     * Generates a fresh key.
     *
     * @param name   the key name (non-empty, no whitespace, no '+'); for a checkpoint usually the log origin
     * @param random source of the 32-byte seed
     * @return the signer
     * @throws MalformedNoteException when the name is malformed or {@code random} is null
     */
    public static NoteSigner generate(String name, SecureRandom random) {
        if (random == null) {
            throw new MalformedNoteException("random source is null");
        }
        byte[] seed = new byte[Ed25519PrivateKeyParameters.KEY_SIZE];
        random.nextBytes(seed);
        return new NoteSigner(name, seed);
    }

    /**
     * Builds a signer from a 32-byte RFC 8032 Ed25519 seed.
     *
     * @param name the key name
     * @param seed the 32-byte private key (copied)
     * @return the signer
     * @throws MalformedNoteException when the name is malformed or the seed is not 32 bytes
     */
    public static NoteSigner fromSeed(String name, byte[] seed) {
        return new NoteSigner(name, seed == null ? null : seed.clone());
    }

    /**
     * Parses a signer key string {@code PRIVATE+KEY+<name>+<hex8 key ID>+<base64(0x01 ‖ seed)>}.
     *
     * @param signerKey the key string, at most 1024 characters
     * @return the signer
     * @throws MalformedNoteException when the string is malformed, the type byte is not 0x01, the seed is not 32
     *                                bytes or the key ID does not match
     */
    public static NoteSigner parse(String signerKey) {
        if (signerKey == null || signerKey.length() > 1024 || !signerKey.startsWith(PREFIX)) {
            throw new MalformedNoteException("signer key must start with PRIVATE+KEY+ and be at most 1024 chars");
        }
        String[] parts = signerKey.substring(PREFIX.length()).split("\\+", 3);
        if (parts.length != 3) {
            throw new MalformedNoteException("signer key must be PRIVATE+KEY+<name>+<hex key ID>+<base64 key>");
        }
        int id = NoteKeys.parseHex8(parts[1], "signer key ID");
        byte[] raw = NoteKeys.decodeBase64(parts[2], "signer key");
        if (raw.length != 1 + Ed25519PrivateKeyParameters.KEY_SIZE || raw[0] != NoteKeys.ALG_ED25519) {
            throw new MalformedNoteException("signer key must be 0x01 followed by a 32-byte Ed25519 seed");
        }
        NoteSigner s = new NoteSigner(parts[0], Arrays.copyOfRange(raw, 1, raw.length));
        Arrays.fill(raw, (byte) 0);
        if (s.keyId() != id) {
            throw new MalformedNoteException("signer key ID does not match the key");
        }
        return s;
    }

    /**
     * @return the signer key string {@code PRIVATE+KEY+<name>+<hex8>+<base64(0x01 ‖ seed)>}; a secret
     */
    public String signerKey() {
        byte[] raw = new byte[1 + Ed25519PrivateKeyParameters.KEY_SIZE];
        raw[0] = NoteKeys.ALG_ED25519;
        privateKey.encode(raw, 1);
        return PREFIX + name() + "+" + NoteKeys.hex8(keyId()) + "+" + Base64.getEncoder().encodeToString(raw);
    }

    /**
     * @return the key name
     */
    public String name() {
        return verifier.name();
    }

    /**
     * @return the 32-bit key ID (see {@link NoteVerifier#keyId()})
     */
    public int keyId() {
        return verifier.keyId();
    }

    /**
     * @return the matching verifier (its {@link NoteVerifier#verifierKey()} is what relying parties configure)
     */
    public NoteVerifier verifier() {
        return verifier;
    }

    /**
     * Signs bytes with Ed25519 (RFC 8032, deterministic).
     *
     * @param message the bytes to sign (for a note: the UTF-8 text including its final newline)
     * @return the 64-byte signature
     * @throws MalformedNoteException when {@code message} is null
     */
    public byte[] sign(byte[] message) {
        if (message == null) {
            throw new MalformedNoteException("message is null");
        }
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /**
     * @return the key name and ID, never the seed
     */
    @Override
    public String toString() {
        return "NoteSigner[" + name() + "+" + NoteKeys.hex8(keyId()) + "]";
    }
}
