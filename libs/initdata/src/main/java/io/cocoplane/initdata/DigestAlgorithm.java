package io.cocoplane.initdata;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * The hash named by the init-data {@code algorithm} field (trustee {@code kbs/docs/initdata.md}
 * "Initdata Digest Calculating"; kata {@code src/libs/kata-types/src/initdata.rs} {@code SUPPORTED_ALGORITHMS}).
 * Implemented with the JDK {@link MessageDigest} provider.
 */
public enum DigestAlgorithm {
    /** {@code sha256}: SHA-256 (FIPS 180-4), 32-byte digest. */
    SHA256("sha256", "SHA-256", 32),
    /** {@code sha384}: SHA-384 (FIPS 180-4), 48-byte digest. */
    SHA384("sha384", "SHA-384", 48),
    /** {@code sha512}: SHA-512 (FIPS 180-4), 64-byte digest. */
    SHA512("sha512", "SHA-512", 64);

    private final String tomlName;
    private final String jcaName;
    private final int digestLength;

    DigestAlgorithm(String tomlName, String jcaName, int digestLength) {
        this.tomlName = tomlName;
        this.jcaName = jcaName;
        this.digestLength = digestLength;
    }

    /** @return the spelling used in the init-data TOML {@code algorithm} field, e.g. {@code "sha384"} */
    public String tomlName() {
        return tomlName;
    }

    /** @return the JCA standard name, e.g. {@code "SHA-384"} */
    public String jcaName() {
        return jcaName;
    }

    /** @return digest length in bytes (32, 48 or 64) */
    public int digestLength() {
        return digestLength;
    }

    /**
     * Looks up the algorithm by its init-data spelling (exact, case-sensitive, as Kata and the AA compare it).
     *
     * @param tomlName {@code sha256}, {@code sha384} or {@code sha512}
     * @return the algorithm
     * @throws InitDataException {@link InitDataException.Reason#UNSUPPORTED_ALGORITHM} for any other value,
     *                           {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public static DigestAlgorithm fromTomlName(String tomlName) {
        InitDataException.requireArgument(tomlName, "algorithm");
        for (DigestAlgorithm a : values()) {
            if (a.tomlName.equals(tomlName)) {
                return a;
            }
        }
        throw new InitDataException(InitDataException.Reason.UNSUPPORTED_ALGORITHM,
                "algorithm must be one of sha256, sha384, sha512");
    }

    /**
     * Hashes the given bytes.
     *
     * @param bytes input, hashed exactly as given
     * @return a fresh array of {@link #digestLength()} bytes
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public byte[] digest(byte[] bytes) {
        InitDataException.requireArgument(bytes, "bytes");
        try {
            return MessageDigest.getInstance(jcaName).digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            // Every Java SE platform must provide SHA-256/384/512 (MessageDigest Javadoc).
            throw new IllegalStateException("JDK lacks " + jcaName, e);
        }
    }
}
