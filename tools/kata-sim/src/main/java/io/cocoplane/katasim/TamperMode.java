package io.cocoplane.katasim;

/**
 * How the simulated guest lies, for the demo's denial paths. Chosen per pod by a {@link TamperPolicy}; every use is
 * logged at WARN.
 */
public enum TamperMode {
    /** Honest guest: attests with the annotation's init-data TOML and the sample TEE's default claims. */
    NONE,
    /**
     * The guest attests with an init-data TOML that differs from the annotation's by one byte (its trailing newline
     * becomes a space; if it has none, a newline is appended). The sample evidence binds the digest of the text it
     * sends, so attestation itself succeeds, but that digest belongs to no live workload and the key broker refuses
     * the keys.
     */
    WRONG_INIT_DATA,
    /**
     * The sample evidence carries a {@code launch_digest} ({@link #WRONG_LAUNCH_DIGEST}) that no reference value
     * allows, so the appraisal is not affirming and the key broker refuses the keys.
     */
    WRONG_MEASUREMENT;

    /** The launch digest a {@link #WRONG_MEASUREMENT} guest reports: lowercase hex, not trustee's sample {@code abcde}. */
    public static final String WRONG_LAUNCH_DIGEST = "badc0ffee0ddf00d";
}
