package io.cocoplane.transparencylog;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * RFC 9162 §2.1.1 hashing with SHA-256 and domain separation between leaves and interior nodes:
 * <ul>
 * <li>leaf hash: {@code SHA-256(0x00 ‖ entry)} — byte 0 is the prefix {@code 0x00}, bytes 1.. are the entry;</li>
 * <li>node hash: {@code SHA-256(0x01 ‖ left ‖ right)} — byte 0 is {@code 0x01}, bytes 1..32 the left child hash,
 * bytes 33..64 the right child hash;</li>
 * <li>empty tree: {@code MTH({}) = SHA-256("")}.</li>
 * </ul>
 * Every hash is {@value #HASH_SIZE} bytes. Methods return fresh arrays that the caller owns.
 */
public final class MerkleHashes {

    /** Size in bytes of every hash in the tree (SHA-256). */
    public static final int HASH_SIZE = 32;

    private static final byte LEAF_PREFIX = 0x00;
    private static final byte NODE_PREFIX = 0x01;
    /** Never updated, only cloned. */
    private static final MessageDigest PROTOTYPE = newSha256();

    private MerkleHashes() {
    }

    /**
     * RFC 9162 §2.1.1 leaf hash.
     *
     * @param entry the log entry bytes (any length, may be empty)
     * @return {@code SHA-256(0x00 ‖ entry)}, 32 bytes
     * @throws InvalidProofException when {@code entry} is null
     */
    public static byte[] leafHash(byte[] entry) {
        if (entry == null) {
            throw new InvalidProofException("leaf entry is null");
        }
        MessageDigest md = sha256();
        md.update(LEAF_PREFIX);
        md.update(entry);
        return md.digest();
    }

    /**
     * RFC 9162 §2.1.1 interior node hash.
     *
     * @param left  hash of the left child, 32 bytes
     * @param right hash of the right child, 32 bytes
     * @return {@code SHA-256(0x01 ‖ left ‖ right)}, 32 bytes
     * @throws InvalidProofException when either child is null or not 32 bytes
     */
    public static byte[] nodeHash(byte[] left, byte[] right) {
        requireHash(left, "left child hash");
        requireHash(right, "right child hash");
        MessageDigest md = sha256();
        md.update(NODE_PREFIX);
        md.update(left);
        md.update(right);
        return md.digest();
    }

    /**
     * RFC 9162 §2.1.1 hash of the empty tree.
     *
     * @return {@code SHA-256("")} = {@code e3b0c442…b855}, 32 bytes
     */
    public static byte[] emptyRoot() {
        return sha256().digest();
    }

    /**
     * Checks that a value is a hash of this tree's size.
     *
     * @param hash the value to check
     * @param what its name, used in the exception message (e.g. "leaf hash", "proof[2]")
     * @return {@code hash}, unchanged
     * @throws InvalidProofException when {@code hash} is null or not exactly 32 bytes
     */
    public static byte[] requireHash(byte[] hash, String what) {
        if (hash == null) {
            throw new InvalidProofException(what + " is null");
        }
        if (hash.length != HASH_SIZE) {
            throw new InvalidProofException(what + " must be " + HASH_SIZE + " bytes, got " + hash.length);
        }
        return hash;
    }

    /** A fresh digest: a clone of {@link #PROTOTYPE} (no provider lookup per hash), else a new instance. */
    private static MessageDigest sha256() {
        if (PROTOTYPE != null) {
            try {
                return (MessageDigest) PROTOTYPE.clone();
            } catch (CloneNotSupportedException e) {
                // a provider whose digest cannot be cloned: look it up each time
            }
        }
        return newSha256();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256 (java.security.MessageDigest docs).
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }
}
