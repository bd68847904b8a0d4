package io.cocoplane.attestation.core;

import java.util.Locale;

/**
 * The EAR appraisal status ({@code ear.status}, draft-ietf-rats-ear; veraison/rust-ear {@code TrustTier}), ordered from
 * best to worst. The tier of one AR4SI claim value {@code v} is: −1…1 {@link #NONE}; −32…31 {@link #AFFIRMING};
 * −96…95 {@link #WARNING}; otherwise {@link #CONTRAINDICATED} ({@code kbs-attestation.md} §5.1). The status of a trust
 * vector is the worst tier of its claims (so an all-zero vector is {@link #NONE}).
 */
public enum EarStatus {
    /** No claim was made. */
    NONE,
    /** The evidence is trustworthy for this claim. */
    AFFIRMING,
    /** The evidence is not known to be trustworthy. */
    WARNING,
    /** The evidence is known not to be trustworthy. */
    CONTRAINDICATED;

    /**
     * @param value an AR4SI claim value (−128…127)
     * @return its tier
     */
    public static EarStatus tierOf(int value) {
        if (value >= -1 && value <= 1) {
            return NONE;
        }
        if (value >= -32 && value <= 31) {
            return AFFIRMING;
        }
        if (value >= -96 && value <= 95) {
            return WARNING;
        }
        return CONTRAINDICATED;
    }

    /** @return the JSON name, e.g. {@code "affirming"} */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /**
     * @param other another status
     * @return the worse of the two
     */
    public EarStatus worst(EarStatus other) {
        return other.ordinal() > ordinal() ? other : this;
    }
}
