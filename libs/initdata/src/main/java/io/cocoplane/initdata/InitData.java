package io.cocoplane.initdata;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The content of an init-data document (trustee {@code kbs/docs/initdata.md}; kata
 * {@code src/libs/kata-types/src/initdata.rs} {@code InitData}):
 * <pre>
 * version   = "0.1.0"            # the only version Kata, the AA and Trustee accept
 * algorithm = "sha256"|"sha384"|"sha512"
 * [data]                          # string -&gt; string
 * "aa.toml"     = '''...'''       # Attestation Agent config
 * "cdh.toml"    = '''...'''       # Confidential Data Hub config
 * "policy.rego" = '''...'''       # kata-agent policy
 * </pre>
 * This class holds values only; the exact bytes (which the digest covers) live in {@link InitDataDocument}.
 * {@code [data]} is kept sorted by key (UTF-16 order), which makes the canonical serialisation deterministic.
 *
 * <p>Constraints enforced on construction: a key is 1..{@value #MAX_KEY_LENGTH} characters with no control
 * characters; a value has no NUL character and no unpaired UTF-16 surrogate (it must be encodable as UTF-8).
 */
public final class InitData {

    /** The only supported {@code version} value. */
    public static final String VERSION = "0.1.0";
    /** {@code [data]} key of the Attestation Agent configuration. */
    public static final String AA_TOML = "aa.toml";
    /** {@code [data]} key of the Confidential Data Hub configuration. */
    public static final String CDH_TOML = "cdh.toml";
    /** {@code [data]} key of the kata-agent policy (Rego). */
    public static final String POLICY_REGO = "policy.rego";
    /** Longest accepted {@code [data]} key, in characters. */
    public static final int MAX_KEY_LENGTH = 256;

    private final DigestAlgorithm algorithm;
    private final SortedMap<String, String> data;

    private InitData(DigestAlgorithm algorithm, SortedMap<String, String> data) {
        this.algorithm = algorithm;
        this.data = Collections.unmodifiableSortedMap(data);
    }

    /**
     * Creates init-data with the given algorithm and {@code [data]} entries.
     *
     * @param algorithm the digest algorithm named in the document
     * @param data      the {@code [data]} entries (copied)
     * @return the init-data
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null} arguments,
     *                           keys or values; {@link InitDataException.Reason#INVALID_DATA_KEY} /
     *                           {@link InitDataException.Reason#INVALID_DATA_VALUE} when a constraint above fails
     */
    public static InitData of(DigestAlgorithm algorithm, Map<String, String> data) {
        InitDataException.requireArgument(algorithm, "algorithm");
        InitDataException.requireArgument(data, "data");
        TreeMap<String, String> copy = new TreeMap<>();
        for (Map.Entry<String, String> e : data.entrySet()) {
            String key = InitDataException.requireArgument(e.getKey(), "data key");
            String value = InitDataException.requireArgument(e.getValue(), "data value of '" + key + "'");
            validateKey(key);
            validateValue(key, value);
            copy.put(key, value);
        }
        return new InitData(algorithm, copy);
    }

    /** @return a builder starting with {@link DigestAlgorithm#SHA256} and no entries */
    public static Builder builder() {
        return new Builder();
    }

    /** @return always {@value #VERSION} */
    public String version() {
        return VERSION;
    }

    /** @return the digest algorithm named in the document */
    public DigestAlgorithm algorithm() {
        return algorithm;
    }

    /** @return the {@code [data]} entries, sorted by key, unmodifiable */
    public SortedMap<String, String> data() {
        return data;
    }

    /**
     * @param key a {@code [data]} key, e.g. {@link #AA_TOML}
     * @return the value, or {@code null} when absent
     */
    public String get(String key) {
        return key == null ? null : data.get(key);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InitData other && other.algorithm == algorithm && other.data.equals(data);
    }

    @Override
    public int hashCode() {
        return 31 * algorithm.hashCode() + data.hashCode();
    }

    @Override
    public String toString() {
        return "InitData[version=" + VERSION + ", algorithm=" + algorithm.tomlName() + ", keys=" + data.keySet() + "]";
    }

    static void validateKey(String key) {
        if (key.isEmpty() || key.length() > MAX_KEY_LENGTH) {
            throw new InitDataException(InitDataException.Reason.INVALID_DATA_KEY,
                    "data key length must be 1.." + MAX_KEY_LENGTH + ", got " + key.length());
        }
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isISOControl(c) || Character.isSurrogate(c)) {
                throw new InitDataException(InitDataException.Reason.INVALID_DATA_KEY,
                        "data key contains a control or surrogate character at index " + i);
            }
        }
    }

    static void validateValue(String key, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == 0) {
                throw new InitDataException(InitDataException.Reason.INVALID_DATA_VALUE,
                        "value of '" + key + "' contains NUL at index " + i);
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                    i++;
                    continue;
                }
                throw new InitDataException(InitDataException.Reason.INVALID_DATA_VALUE,
                        "value of '" + key + "' has an unpaired surrogate at index " + i);
            }
            if (Character.isLowSurrogate(c)) {
                throw new InitDataException(InitDataException.Reason.INVALID_DATA_VALUE,
                        "value of '" + key + "' has an unpaired surrogate at index " + i);
            }
        }
    }

    /** Mutable builder for {@link InitData}; not thread-safe. */
    public static final class Builder {
        private DigestAlgorithm algorithm = DigestAlgorithm.SHA256;
        private final TreeMap<String, String> data = new TreeMap<>();

        private Builder() {
        }

        /**
         * @param algorithm the digest algorithm to name in the document
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
         */
        public Builder algorithm(DigestAlgorithm algorithm) {
            this.algorithm = InitDataException.requireArgument(algorithm, "algorithm");
            return this;
        }

        /**
         * Adds or replaces one {@code [data]} entry.
         *
         * @param key   the key, e.g. {@link InitData#POLICY_REGO}
         * @param value the value (usually a whole TOML or Rego text)
         * @return this builder
         * @throws InitDataException as {@link InitData#of(DigestAlgorithm, Map)}
         */
        public Builder put(String key, String value) {
            InitDataException.requireArgument(key, "data key");
            InitDataException.requireArgument(value, "data value");
            validateKey(key);
            validateValue(key, value);
            data.put(key, value);
            return this;
        }

        /** @return the init-data */
        public InitData build() {
            return InitData.of(algorithm, data);
        }
    }
}
