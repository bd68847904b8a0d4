package io.cocoplane.transparencylog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Shared rules of c2sp.org/signed-note keys: key names, key IDs and strict base64.
 */
final class NoteKeys {

    /** Signature type byte of Ed25519 keys (c2sp.org/signed-note, "Signature types"). */
    static final byte ALG_ED25519 = 0x01;

    private NoteKeys() {
    }

    /**
     * A key name is non-empty, contains no Unicode whitespace, no control character and no '+'.
     */
    static String requireKeyName(String name) {
        if (name == null || name.isEmpty()) {
            throw new MalformedNoteException("key name is empty");
        }
        int[] cps = name.codePoints().toArray();
        for (int cp : cps) {
            if (cp == '+' || Character.isWhitespace(cp) || Character.isSpaceChar(cp) || Character.isISOControl(cp)
                    || cp >= 0xD800 && cp <= 0xDFFF) {
                throw new MalformedNoteException("key name contains a forbidden character (whitespace, '+' or"
                        + " control)");
            }
        }
        return name;
    }

    /**
     * Key ID = first 4 bytes (big-endian) of SHA-256(name ‖ 0x0A ‖ type ‖ public key).
     */
    static int keyId(String name, byte type, byte[] publicKey) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(name.getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0x0A);
            md.update(type);
            md.update(publicKey);
            byte[] d = md.digest();
            return ((d[0] & 0xFF) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /**
     * Standard, padded base64 that must be canonical (re-encoding gives the same string).
     */
    static byte[] decodeBase64(String s, String what) {
        byte[] out;
        try {
            out = Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedNoteException(what + " is not valid base64", e);
        }
        if (!Base64.getEncoder().encodeToString(out).equals(s)) {
            throw new MalformedNoteException(what + " is not canonical padded base64");
        }
        return out;
    }

    static String hex8(int keyId) {
        return String.format("%08x", keyId);
    }

    static int parseHex8(String s, String what) {
        if (s.length() != 8) {
            throw new MalformedNoteException(what + " must be 8 lowercase hex digits");
        }
        for (int i = 0; i < 8; i++) {
            char c = s.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                throw new MalformedNoteException(what + " must be 8 lowercase hex digits");
            }
        }
        return Integer.parseUnsignedInt(s, 16);
    }
}
