package io.cocoplane.initdata;

import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The digest of an init-data document: the hash named by its {@code algorithm} over <em>the exact
 * document bytes</em> (the whole TOML text, not only {@code [data]}; kata {@code src/runtime/pkg/oci/utils.go},
 * kata {@code initdata.rs} {@code calculate_initdata_digest}, trustee {@code kbs/docs/initdata.md}).
 * A different serialisation of the same data, even one trailing newline more or less, gives a different digest.
 *
 * @param algorithm the hash used
 * @param value     the raw digest, {@code algorithm.digestLength()} bytes (defensively copied)
 */
public record InitDataDigest(DigestAlgorithm algorithm, byte[] value) {

    /**
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} when either component is
     *                           {@code null} or the value length does not match the algorithm
     */
    public InitDataDigest {
        InitDataException.requireArgument(algorithm, "algorithm");
        InitDataException.requireArgument(value, "value");
        if (value.length != algorithm.digestLength()) {
            throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                    algorithm.tomlName() + " digest must be " + algorithm.digestLength() + " bytes, got " + value.length);
        }
        value = value.clone();
    }

    /**
     * Hashes document bytes exactly as given.
     *
     * @param algorithm    the hash
     * @param documentToml the exact TOML bytes (UTF-8)
     * @return the digest
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null} arguments
     */
    public static InitDataDigest compute(DigestAlgorithm algorithm, byte[] documentToml) {
        InitDataException.requireArgument(algorithm, "algorithm");
        return new InitDataDigest(algorithm, algorithm.digest(documentToml));
    }

    /** @return a copy of the raw digest bytes */
    @Override
    public byte[] value() {
        return value.clone();
    }

    /** @return the digest as lowercase hex ({@code 2 * digestLength} characters) */
    public String hex() {
        return HexFormat.of().formatHex(value);
    }

    /**
     * The value the TEE field must hold for this init-data (see {@link TeePlatform#fit(byte[])}).
     *
     * @param platform the TEE
     * @return the field value: truncated or zero-padded to the platform's field length
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public TeeFieldValue forTee(TeePlatform platform) {
        InitDataException.requireArgument(platform, "platform");
        return new TeeFieldValue(platform, platform.fit(value));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitDataDigest d && d.algorithm == algorithm && Arrays.equals(d.value, value);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return algorithm.tomlName() + ":" + hex();
    }

    /**
     * An init-data digest fitted to one TEE field.
     *
     * @param platform the TEE
     * @param value    exactly {@code platform.fieldLength()} bytes (defensively copied)
     */
    public record TeeFieldValue(TeePlatform platform, byte[] value) {

        /**
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} when a component is
         *                           {@code null} or the length is not the platform's field length
         */
        public TeeFieldValue {
            InitDataException.requireArgument(platform, "platform");
            InitDataException.requireArgument(value, "value");
            if (value.length != platform.fieldLength()) {
                throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                        platform.fieldName() + " must be " + platform.fieldLength() + " bytes, got " + value.length);
            }
            value = value.clone();
        }

        /** @return a copy of the field bytes */
        @Override
        public byte[] value() {
            return value.clone();
        }

        /** @return lowercase hex, as trustee puts it in the token's {@code init_data} claim on SNP and TDX */
        public String hex() {
            return HexFormat.of().formatHex(value);
        }

        /** @return standard padded base64, as Kata passes it to QEMU ({@code host-data=} / {@code mrconfigid=}) */
        public String base64() {
            return Base64.getEncoder().encodeToString(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof TeeFieldValue t && t.platform == platform && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return 31 * platform.hashCode() + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return platform.fieldName() + ":" + hex();
        }
    }
}
