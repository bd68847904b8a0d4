package io.cocoplane.teeevidence.snp;

import java.security.cert.X509Certificate;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.cocoplane.teeevidence.Certificates;

/**
 * AMD SEV-SNP trust anchors per generation: the ARK (root, self-signed) and the ASK (signs VCEKs) and ASVK (signs
 * VLEKs) intermediates ({@code kbs-attestation.md} §6.3).
 *
 * <p>{@link #builtIn()} loads the public AMD certificates that trustee embeds
 * ({@code deps/verifier/src/snp/{milan,genoa,turin}_ask_ark_asvk.pem}, PEM order ASK, ARK, ASVK), shipped as
 * resources of this library. Deployments that want their own pinning (e.g. fetched from
 * {@code https://kdsintf.amd.com/vcek/v1/<product>/cert_chain}) use {@link #of(Map)}.
 */
public final class AmdTrustAnchors {

    /**
     * The anchors of one generation.
     *
     * @param ark AMD Root Key certificate (self-signed, RSA-4096, RSASSA-PSS)
     * @param ask AMD SEV Key certificate (issued by the ARK; issues VCEKs)
     * @param asvk AMD SEV VLEK Key certificate (issued by the ARK; issues VLEKs), or {@code null}
     */
    public record Anchors(X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
        /** @throws NullPointerException when {@code ark} or {@code ask} is null */
        public Anchors {
            Objects.requireNonNull(ark, "ark");
            Objects.requireNonNull(ask, "ask");
        }
    }

    private final Map<SnpGeneration, Anchors> anchors;

    private AmdTrustAnchors(Map<SnpGeneration, Anchors> anchors) {
        this.anchors = Map.copyOf(anchors);
    }

    /**
     * @param anchors the anchors per generation (generations without an entry are refused)
     * @return trust anchors
     */
    public static AmdTrustAnchors of(Map<SnpGeneration, Anchors> anchors) {
        return new AmdTrustAnchors(anchors);
    }

    /**
     * @return AMD's public Milan, Genoa and Turin ARK/ASK/ASVK certificates bundled with this library
     * @throws IllegalStateException when the bundled resources are missing (a packaging bug)
     */
    public static AmdTrustAnchors builtIn() {
        Map<SnpGeneration, Anchors> m = new EnumMap<>(SnpGeneration.class);
        for (SnpGeneration g : SnpGeneration.values()) {
            String res = "/io/cocoplane/teeevidence/snp/" + g.productName().toLowerCase(java.util.Locale.ROOT)
                    + "_ask_ark_asvk.pem";
            List<X509Certificate> certs = Certificates.resourcePem(res);
            if (certs.size() != 3) {
                throw new IllegalStateException(res + " must hold ASK, ARK, ASVK");
            }
            m.put(g, new Anchors(certs.get(1), certs.get(0), certs.get(2)));
        }
        return new AmdTrustAnchors(m);
    }

    /**
     * @param generation a generation
     * @return its anchors, or empty when none are configured
     */
    public Optional<Anchors> forGeneration(SnpGeneration generation) {
        return Optional.ofNullable(anchors.get(generation));
    }
}
