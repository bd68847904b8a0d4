package io.cocoplane.teeevidence;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.teeevidence.tdx.TdxVerifier;

/**
 * A lookup of {@link EvidenceVerifier}s by {@link Tee}. {@link #defaults()} holds only hardware TEEs (SNP and TDX with
 * their default configuration); the development-only {@code sample} verifier is present only when the caller passes
 * one obtained from {@code SampleVerifier.enableForDevelopment()} to {@link #of(EvidenceVerifier...)}.
 */
public final class EvidenceVerifiers {

    private final Map<Tee, EvidenceVerifier> byTee;

    private EvidenceVerifiers(Map<Tee, EvidenceVerifier> byTee) {
        this.byTee = Map.copyOf(byTee);
    }

    /**
     * @return SNP ({@link SnpVerifier#builder()} defaults) and TDX ({@link TdxVerifier#builder()} defaults); never sample
     */
    public static EvidenceVerifiers defaults() {
        return of(SnpVerifier.builder().build(), TdxVerifier.builder().build());
    }

    /**
     * @param verifiers verifiers, at most one per TEE
     * @return the lookup
     * @throws IllegalArgumentException when two verifiers handle the same TEE
     */
    public static EvidenceVerifiers of(EvidenceVerifier... verifiers) {
        Map<Tee, EvidenceVerifier> m = new EnumMap<>(Tee.class);
        for (EvidenceVerifier v : verifiers) {
            if (m.put(v.tee(), v) != null) {
                throw new IllegalArgumentException("two verifiers for " + v.tee());
            }
        }
        return new EvidenceVerifiers(m);
    }

    /**
     * @param tee a TEE
     * @return its verifier, or empty when none is configured (the caller must refuse the evidence)
     */
    public Optional<EvidenceVerifier> forTee(Tee tee) {
        return Optional.ofNullable(byTee.get(tee));
    }
}
