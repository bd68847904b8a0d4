package io.cocoplane.teeevidence.snp;

import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * AMD SEV-SNP trust anchors per generation: the ARK (root, self-signed) and the ASK (signs VCEKs) and ASVK (signs
 * VLEKs) intermediates ({@code kbs-attestation.md} §6.3).
 *
 * <p>{@link #builtIn()} loads the public AMD certificates that trustee embeds
 * ({@code deps/verifier/src/snp/{milan,genoa,turin}_ask_ark_asvk.pem}, PEM order ASK, ARK, ASVK), shipped as
 * resources of this library. Deployments that want their own pinning (e.g. fetched from
 * {@code https://kdsintf.amd.com/vcek/v1/<product>/cert_chain}) use {@link #of(Map)}.
 *
 * <p>A generation may have several anchor sets: the first is the primary one, the others come from
 * {@link #plus(Additional)} (private test chains, benchmarks). {@link SnpVerifier} tries them in order and uses the
 * first whose chain verifies.
 */
public final class AmdTrustAnchors {

    /** Most anchor sets per generation. */
    public static final int MAX_ANCHORS_PER_GENERATION = 16;

    /**
     * The anchors of one generation.
     *
     * @param ark AMD Root Key certificate (self-signed, RSA, RSASSA-PSS)
     * @param ask AMD SEV Key certificate (issued by the ARK; issues VCEKs), or {@code null} when VCEK evidence must
     *        carry its ASK in {@code cert_chain}
     * @param asvk AMD SEV VLEK Key certificate (issued by the ARK; issues VLEKs), or {@code null}
     */
    public record Anchors(X509Certificate ark, X509Certificate ask, X509Certificate asvk) {
        /** @throws NullPointerException when {@code ark} is null */
        public Anchors {
            Objects.requireNonNull(ark, "ark");
        }
    }

    /**
     * An extra anchor set read from PEM ({@link #parsePem(byte[], String)}).
     *
     * @param generation the generation named by the ARK's CN ({@code ARK-<Milan|Genoa|Turin>})
     * @param anchors the ARK and, when the PEM held them, its ASK and ASVK
     */
    public record Additional(SnpGeneration generation, Anchors anchors) {
        /** @throws NullPointerException when an argument is null */
        public Additional {
            Objects.requireNonNull(generation, "generation");
            Objects.requireNonNull(anchors, "anchors");
        }
    }

    private final Map<SnpGeneration, List<Anchors>> anchors;

    private AmdTrustAnchors(Map<SnpGeneration, List<Anchors>> anchors) {
        Map<SnpGeneration, List<Anchors>> m = new EnumMap<>(SnpGeneration.class);
        anchors.forEach((g, l) -> m.put(g, List.copyOf(l)));
        this.anchors = Map.copyOf(m);
    }

    /**
     * @param anchors the anchors per generation (generations without an entry are refused)
     * @return trust anchors
     */
    public static AmdTrustAnchors of(Map<SnpGeneration, Anchors> anchors) {
        Map<SnpGeneration, List<Anchors>> m = new EnumMap<>(SnpGeneration.class);
        anchors.forEach((g, a) -> m.put(g, List.of(a)));
        return new AmdTrustAnchors(m);
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
        return of(m);
    }

    /**
     * Reads an extra anchor set: a PEM bundle (any order) holding exactly one self-signed ARK whose CN is
     * {@code ARK-<Milan|Genoa|Turin>}, and optionally one ASK ({@code CN=SEV-<product>}) and one ASVK
     * ({@code CN=SEV-VLEK-<product>}) issued and signed by that ARK. Signatures are checked here with the JDK (the
     * verifier checks them again, with the exact RSASSA-PSS parameters, on every new chain).
     *
     * @param pem the PEM text (at most {@link Certificates#MAX_PEM_CERTS} certificates)
     * @param source name of the PEM's origin for messages (e.g. a file name)
     * @return the anchors and their generation
     * @throws IllegalArgumentException when the bundle does not parse, has no or several self-signed certificates,
     *         the ARK's CN names no known generation, a signature does not verify, or a certificate is neither ASK
     *         nor ASVK of that ARK
     */
    public static Additional parsePem(byte[] pem, String source) {
        List<X509Certificate> certs;
        try {
            certs = Certificates.fromPem(pem, source);
        } catch (Malformed e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        X509Certificate ark = null;
        for (X509Certificate c : certs) {
            if (c.getSubjectX500Principal().equals(c.getIssuerX500Principal())) {
                if (ark != null) {
                    throw new IllegalArgumentException(source + ": more than one self-signed certificate (ARK)");
                }
                ark = c;
            }
        }
        if (ark == null) {
            throw new IllegalArgumentException(source + ": no self-signed ARK certificate");
        }
        String arkCn = Certificates.commonName(ark);
        SnpGeneration gen = null;
        for (SnpGeneration g : SnpGeneration.values()) {
            if (arkCn.equals("ARK-" + g.productName())) {
                gen = g;
            }
        }
        if (gen == null) {
            throw new IllegalArgumentException(source + ": ARK CN \"" + arkCn
                    + "\" names no known generation (ARK-Milan, ARK-Genoa, ARK-Turin)");
        }
        verify(ark, ark, source);
        X509Certificate ask = null;
        X509Certificate asvk = null;
        for (X509Certificate c : certs) {
            if (c == ark) {
                continue;
            }
            String cn = Certificates.commonName(c);
            if (!c.getIssuerX500Principal().equals(ark.getSubjectX500Principal())) {
                throw new IllegalArgumentException(source + ": " + cn + " is not issued by " + arkCn);
            }
            verify(c, ark, source);
            if (cn.equals("SEV-VLEK-" + gen.productName()) && asvk == null) {
                asvk = c;
            } else if (cn.equals("SEV-" + gen.productName()) && ask == null) {
                ask = c;
            } else {
                throw new IllegalArgumentException(source + ": unexpected or repeated certificate CN \"" + cn
                        + "\" (only SEV-" + gen.productName() + " and SEV-VLEK-" + gen.productName() + " may follow)");
            }
        }
        return new Additional(gen, new Anchors(ark, ask, asvk));
    }

    private static void verify(X509Certificate cert, X509Certificate issuer, String source) {
        try {
            cert.verify(issuer.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new IllegalArgumentException(source + ": the signature of " + Certificates.commonName(cert)
                    + " by " + Certificates.commonName(issuer) + " does not verify: " + e.getMessage(), e);
        }
    }

    /**
     * @param extra an anchor set to try after the existing ones of its generation
     * @return new trust anchors with {@code extra} appended
     * @throws IllegalArgumentException when the generation already has {@value #MAX_ANCHORS_PER_GENERATION} sets
     */
    public AmdTrustAnchors plus(Additional extra) {
        Map<SnpGeneration, List<Anchors>> m = new EnumMap<>(SnpGeneration.class);
        m.putAll(anchors);
        List<Anchors> l = new ArrayList<>(m.getOrDefault(extra.generation(), List.of()));
        if (l.size() >= MAX_ANCHORS_PER_GENERATION) {
            throw new IllegalArgumentException("at most " + MAX_ANCHORS_PER_GENERATION + " anchor sets per generation");
        }
        l.add(extra.anchors());
        m.put(extra.generation(), l);
        return new AmdTrustAnchors(m);
    }

    /**
     * @param generation a generation
     * @return its primary anchors, or empty when none are configured
     */
    public Optional<Anchors> forGeneration(SnpGeneration generation) {
        return candidates(generation).stream().findFirst();
    }

    /**
     * @param generation a generation
     * @return all its anchor sets, primary first (empty when none are configured)
     */
    public List<Anchors> candidates(SnpGeneration generation) {
        return anchors.getOrDefault(generation, List.of());
    }
}
