package io.cocoplane.kbsprotocol;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Locale;

import org.bouncycastle.crypto.digests.SM3Digest;

/**
 * The runtime-data hash algorithms of the protocol (note §2.1/§2.2/§4.1; serde lowercase names of guest-components
 * {@code HashAlgorithm}): {@code sha256}, {@code sha384} (the default), {@code sha512} and {@code sm3}. SHA-2 comes from
 * the JDK, SM3 from BouncyCastle.
 */
public enum HashAlgorithm {
    /** SHA-256, 32-byte digest. */
    SHA256("sha256", "SHA-256", 32),
    /** SHA-384, 48-byte digest; the KBS default for every TEE but IBM SE. */
    SHA384("sha384", "SHA-384", 48),
    /** SHA-512, 64-byte digest; used for IBM SE. */
    SHA512("sha512", "SHA-512", 64),
    /** SM3 (GB/T 32905), 32-byte digest. */
    SM3("sm3", null, 32);

    private final String wireName;
    private final String jcaName;
    private final int digestLength;

    HashAlgorithm(String wireName, String jcaName, int digestLength) {
        this.wireName = wireName;
        this.jcaName = jcaName;
        this.digestLength = digestLength;
    }

    /**
     * @return the lowercase JSON name, e.g. {@code "sha384"}
     */
    public String wireName() {
        return wireName;
    }

    /**
     * @return the digest length in bytes (32, 48 or 64)
     */
    public int digestLength() {
        return digestLength;
    }

    /**
     * Hashes bytes.
     *
     * @param data the input (not null)
     * @return the digest, {@link #digestLength()} bytes
     */
    public byte[] digest(byte[] data) {
        if (jcaName == null) {
            SM3Digest sm3 = new SM3Digest();
            sm3.update(data, 0, data.length);
            byte[] out = new byte[sm3.getDigestSize()];
            sm3.doFinal(out, 0);
            return out;
        }
        try {
            return MessageDigest.getInstance(jcaName).digest(data);
        } catch (NoSuchAlgorithmException e) {
            // every JDK must provide SHA-256/384/512 (java.security.MessageDigest Javadoc)
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }

    /**
     * Parses a hash algorithm name as the Rust client does for {@code selected-hash-algorithm}: case-insensitively.
     *
     * @param name e.g. {@code "sha384"} or {@code "SHA512"}
     * @return the algorithm
     * @throws InvalidMessageException when the name is null or not one of the four names
     */
    public static HashAlgorithm fromWireName(String name) {
        if (name != null) {
            String lower = name.toLowerCase(Locale.ROOT);
            for (HashAlgorithm h : values()) {
                if (h.wireName.equals(lower)) {
                    return h;
                }
            }
        }
        throw new InvalidMessageException("unknown hash algorithm: " + RcarJson.quoteForMessage(name));
    }
}
