package io.cocoplane.teeevidence.snp;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.MGF1ParameterSpec;
import java.security.spec.PSSParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChipIdMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.EndorsementMissing;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.SigningKeyMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.TcbMismatch;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Tee;
import io.cocoplane.teeevidence.snp.AmdLeafCertificate.LeafType;

/**
 * AMD SEV-SNP evidence verifier: trustee's {@code Snp::evaluate} ({@code kbs-attestation.md} §6.4) plus the checks
 * trustee lacks (hazards §10.1–3): chip-id binding for VCEK leaves, {@code key_info.signing_key} vs leaf type, and
 * certificate validity against an injectable {@link Clock}.
 *
 * <p>Order of checks (first failure wins): parse ({@link Malformed}); report version within the accepted range
 * (default 3…5) and CPU generation known ({@link PolicyViolation} {@code report_version}/{@code generation});
 * {@code signature_algo == 1}; leaf VCEK/VLEK from the evidence's {@code cert_chain} or the offline KDS store
 * ({@link EndorsementMissing}); ARK self-signature, ARK → ASK/ASVK → leaf, RSASSA-PSS SHA-384/MGF1-SHA-384/salt 48
 * ({@link ChainInvalid}; a supplied ARK must equal the trusted one; successful chains are cached; with several
 * anchor sets for the generation, see {@link AmdTrustAnchors#plus}, the first whose chain verifies is used); validity
 * of the three certificates at the injected clock, widened by the clock tolerance
 * ({@link EvidenceRefusedException.CertificateExpired}; an expired VLEK leaf is accepted with the claims
 * {@code vlek_expired = true} and {@code vlek_not_after} when {@link Builder#acceptExpiredVlek} is on); ECDSA
 * P-384/SHA-384 report signature
 * over {@code [0x000, 0x2A0)} ({@link SignatureInvalid}); leaf SPL extensions equal {@code reported_tcb}
 * ({@link TcbMismatch}); {@code signing_key} matches the leaf type ({@link SigningKeyMismatch}); VCEK hwID equals
 * {@code chip_id} (first 8 bytes on Turin, {@link ChipIdMismatch}); VMPL allowed (default only 0, {@link PolicyViolation}
 * {@code vmpl}); {@code report_data == pad64(expected)} ({@link ReportDataMismatch}); {@code host_data ==
 * pad32/trunc32(init digest)} ({@link InitDataMismatch}).
 *
 * <p>Endorsement sources for the leaf, in order: the evidence's {@code cert_chain}, the offline KDS store
 * ({@link Builder#kdsStore}), the online KDS ({@link Builder#kdsClient}, off unless configured).
 *
 * <p>Claims (§6.5, values as trustee encodes them): {@code policy_abi_major}, {@code policy_abi_minor} (Long),
 * {@code policy_smt_allowed}, {@code policy_migrate_ma}, {@code policy_debug_allowed}, {@code policy_single_socket}
 * (Boolean), {@code reported_tcb_bootloader|tee|snp|microcode} (Long), {@code platform_tsme_enabled},
 * {@code platform_smt_enabled} (Boolean), {@code measurement}, {@code chip_id} (lowercase hex), and only for an
 * accepted expired VLEK {@code vlek_expired} (Boolean true) and {@code vlek_not_after} (ISO-8601 instant); report_data and
 * init_data (hex of the 64-byte REPORT_DATA and 32-byte HOST_DATA) in {@link Claims#reportData()} /
 * {@link Claims#initData()}.
 */
public final class SnpVerifier implements EvidenceVerifier {

    private static final int CHAIN_CACHE_MAX = 4096;
    private static final String RSASSA_PSS_OID = "1.2.840.113549.1.1.10";

    private final AmdTrustAnchors anchors;
    private final int minVersion;
    private final int maxVersion;
    private final Clock clock;
    private final OfflineKdsStore kdsStore;
    private final KdsClient kdsClient;
    private final Set<Long> allowedVmpls;
    private final boolean checkValidity;
    private final Duration clockTolerance;
    private final boolean acceptExpiredVlek;
    /**
     * SHA-256 of ARK ‖ intermediate ‖ leaf DER → empty when that chain verified, else why it did not. Refusals are
     * remembered too: with several anchor sets for a generation, a leaf under the second set fails the first set's
     * RSA-4096 checks on every report otherwise. Both outcomes depend only on those bytes.
     */
    private final Cache<String, Optional<String>> checkedChains = Caffeine.newBuilder().maximumSize(CHAIN_CACHE_MAX)
            .build();

    private SnpVerifier(Builder b) {
        this.anchors = b.anchors;
        this.minVersion = b.minVersion;
        this.maxVersion = b.maxVersion;
        this.clock = b.clock;
        this.kdsStore = b.kdsStore;
        this.kdsClient = b.kdsClient;
        this.allowedVmpls = Set.copyOf(b.allowedVmpls);
        this.checkValidity = b.checkValidity;
        this.clockTolerance = b.clockTolerance;
        this.acceptExpiredVlek = b.acceptExpiredVlek;
    }

    /**
     * @return a builder with the defaults: built-in AMD anchors, versions 3…5, system UTC clock, no KDS store, no
     *         online KDS, VMPL 0 only, certificate validity checked with no clock tolerance, expired VLEKs refused
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures an {@link SnpVerifier}. */
    public static final class Builder {
        private AmdTrustAnchors anchors;
        private int minVersion = 3;
        private int maxVersion = 5;
        private Clock clock = Clock.systemUTC();
        private OfflineKdsStore kdsStore;
        private KdsClient kdsClient;
        private Set<Long> allowedVmpls = Set.of(0L);
        private boolean checkValidity = true;
        private Duration clockTolerance = Duration.ZERO;
        private boolean acceptExpiredVlek;

        private Builder() {
        }

        /**
         * @param anchors the AMD trust anchors (default {@link AmdTrustAnchors#builtIn()})
         * @return this
         */
        public Builder trustAnchors(AmdTrustAnchors anchors) {
            this.anchors = Objects.requireNonNull(anchors);
            return this;
        }

        /**
         * @param min lowest accepted report version (≥ 2)
         * @param max highest accepted report version (≤ 5)
         * @return this
         * @throws IllegalArgumentException when not {@code 2 ≤ min ≤ max ≤ 5}
         */
        public Builder acceptedVersions(int min, int max) {
            if (min < SnpReport.MIN_PARSED_VERSION || max > SnpReport.MAX_PARSED_VERSION || min > max) {
                throw new IllegalArgumentException("accepted versions must satisfy 2 <= min <= max <= 5");
            }
            this.minVersion = min;
            this.maxVersion = max;
            return this;
        }

        /**
         * @param clock the clock for certificate validity
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param store offline VCEK store used when the evidence carries no VCEK/VLEK
         * @return this
         */
        public Builder kdsStore(OfflineKdsStore store) {
            this.kdsStore = Objects.requireNonNull(store);
            return this;
        }

        /**
         * @param client online KDS used when neither the evidence nor the offline store has the VCEK (default none:
         *        nothing is fetched)
         * @return this
         */
        public Builder kdsClient(KdsClient client) {
            this.kdsClient = Objects.requireNonNull(client);
            return this;
        }

        /**
         * @param tolerance clock skew accepted at both ends of every certificate's validity period (default zero)
         * @return this
         * @throws IllegalArgumentException when negative
         */
        public Builder clockTolerance(Duration tolerance) {
            if (tolerance.isNegative()) {
                throw new IllegalArgumentException("clock tolerance must not be negative: " + tolerance);
            }
            this.clockTolerance = tolerance;
            return this;
        }

        /**
         * Accept a VLEK leaf past its {@code notAfter} (the corpus's AWS VLEK is valid for one year only and trustee,
         * which never checks validity, accepts it: hazard §10.3). The claims then carry {@code vlek_expired = true}
         * and {@code vlek_not_after} for policies to weigh. The ARK, ASVK and VCEK leaves are still checked.
         *
         * @param accept whether to accept an expired VLEK with the warning claims (default false)
         * @return this
         */
        public Builder acceptExpiredVlek(boolean accept) {
            this.acceptExpiredVlek = accept;
            return this;
        }

        /**
         * @param vmpls the accepted VMPL values (0…3), at least one
         * @return this
         * @throws IllegalArgumentException when empty or out of range
         */
        public Builder allowedVmpls(Set<Long> vmpls) {
            if (vmpls.isEmpty() || vmpls.stream().anyMatch(v -> v < 0 || v > 3)) {
                throw new IllegalArgumentException("allowed VMPLs must be a non-empty subset of 0..3");
            }
            this.allowedVmpls = new TreeSet<>(vmpls);
            return this;
        }

        /**
         * @param check whether to check certificate validity periods (default true; trustee does not, §10.3)
         * @return this
         */
        public Builder checkCertificateValidity(boolean check) {
            this.checkValidity = check;
            return this;
        }

        /**
         * @return the verifier
         */
        public SnpVerifier build() {
            if (anchors == null) {
                anchors = AmdTrustAnchors.builtIn();
            }
            return new SnpVerifier(this);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Tee tee() {
        return Tee.SNP;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Accepts the JSON form or a raw report (see {@link SnpEvidence#parse(byte[])}).
     */
    @Override
    public Claims verify(byte[] evidence, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(evidence, "evidence");
        if (evidence.length > MAX_EVIDENCE_BYTES) {
            throw new Malformed("evidence larger than " + MAX_EVIDENCE_BYTES + " bytes", MAX_EVIDENCE_BYTES);
        }
        return verify(SnpEvidence.parse(evidence), expected);
    }

    /**
     * Verifies already-parsed evidence (same checks and exceptions as {@link #verify(byte[], ExpectedValues)}).
     *
     * @param evidence the parsed report and certificates
     * @param expected expected values
     * @return the claims
     * @throws EvidenceRefusedException naming the failed check
     */
    public Claims verify(SnpEvidence evidence, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(expected, "expected");
        SnpReport report = evidence.report();
        if (report.version() < minVersion || report.version() > maxVersion) {
            throw new PolicyViolation("report_version",
                    "report version " + report.version() + " not in accepted range " + minVersion + ".." + maxVersion);
        }
        SnpGeneration gen = report.generation().orElseThrow(() -> new PolicyViolation("generation",
                "unknown CPU generation (cpuid family 0x" + Integer.toHexString(report.cpuidFamily()) + " model 0x"
                        + Integer.toHexString(report.cpuidModel()) + ")"));
        if (anchors.candidates(gen).isEmpty()) {
            throw new PolicyViolation("generation", "no trust anchors for " + gen.productName());
        }
        if (report.signatureAlgo() != 1) {
            throw new PolicyViolation("signature_algo", "signature_algo " + report.signatureAlgo()
                    + " is not 1 (ECDSA P-384 with SHA-384)");
        }

        AmdLeafCertificate leaf = AmdLeafCertificate.of(leafCertificate(evidence, report, gen));
        Chain chain = chain(evidence, leaf, gen);
        Instant vlekNotAfter = checkValidity(chain, leaf);
        verifyReportSignature(report, leaf.certificate().getPublicKey());
        checkTcb(report, leaf, gen);
        checkSigningKey(report, leaf);
        if (leaf.type() == LeafType.VCEK) {
            checkChipId(report, leaf, gen);
        }
        if (!allowedVmpls.contains(report.vmpl())) {
            throw new PolicyViolation("vmpl", "VMPL " + report.vmpl() + " not in " + new TreeSet<>(allowedVmpls));
        }
        byte[] rd = expected.reportData();
        if (rd != null && !Bytes.constantTimeEquals(report.reportData(), Bytes.regularize(rd, 64))) {
            throw new ReportDataMismatch("report_data " + Bytes.hex(report.reportData()) + " != pad64("
                    + Bytes.hex(rd) + ")");
        }
        byte[] init = expected.initDataDigest();
        if (init != null && !Bytes.constantTimeEquals(report.hostData(), Bytes.regularize(init, 32))) {
            throw new InitDataMismatch("host_data " + Bytes.hex(report.hostData()) + " != pad32/trunc32("
                    + Bytes.hex(init) + ")");
        }
        Claims claims = claims(report);
        if (vlekNotAfter == null) {
            return claims;
        }
        Map<String, Object> c = new LinkedHashMap<>(claims.teeClaims());
        c.put("vlek_expired", Boolean.TRUE);
        c.put("vlek_not_after", vlekNotAfter.toString());
        return new Claims(Tee.SNP, c, claims.reportData(), claims.initData());
    }

    /** The anchor set and intermediate a leaf chains to. */
    private record Chain(X509Certificate ark, X509Certificate intermediate, X509Certificate leaf) {
    }

    /**
     * Tries the generation's anchor sets in order; the first whose chain (supplied ARK equal to its ARK, ARK →
     * intermediate → leaf) verifies wins. When none does, the refusal for the primary set is thrown.
     */
    private Chain chain(SnpEvidence evidence, AmdLeafCertificate leaf, SnpGeneration gen)
            throws EvidenceRefusedException {
        List<AmdTrustAnchors.Anchors> candidates = anchors.candidates(gen);
        if (candidates.isEmpty()) {
            throw new PolicyViolation("generation", "no trust anchors for " + gen.productName());
        }
        Optional<SnpEvidence.CertEntry> suppliedArk = evidence.first("ARK");
        EvidenceRefusedException first = null;
        for (AmdTrustAnchors.Anchors a : candidates) {
            try {
                if (suppliedArk.isPresent() && !Arrays.equals(suppliedArk.get().der(), encoded(a.ark()))) {
                    throw new ChainInvalid("the ARK in the evidence is not the trusted ARK-" + gen.productName(), null);
                }
                X509Certificate inter = intermediate(evidence, leaf.type(), a);
                verifyChain(a.ark(), inter, leaf.certificate());
                return new Chain(a.ark(), inter, leaf.certificate());
            } catch (ChainInvalid | EndorsementMissing e) {
                if (first == null) {
                    first = e;
                }
            }
        }
        throw first;
    }

    /**
     * Checks the validity of the chain's certificates (when enabled) with the clock tolerance.
     *
     * @return the VLEK's notAfter when an expired VLEK was accepted, else {@code null}
     */
    private Instant checkValidity(Chain chain, AmdLeafCertificate leaf) throws EvidenceRefusedException {
        if (!checkValidity) {
            return null;
        }
        Instant now = clock.instant();
        Certificates.checkValidity(chain.ark(), now, clockTolerance, "ARK");
        Certificates.checkValidity(chain.intermediate(), now, clockTolerance,
                leaf.type() == LeafType.VCEK ? "ASK" : "ASVK");
        X509Certificate l = chain.leaf();
        if (leaf.type() == LeafType.VLEK && acceptExpiredVlek && Certificates.isExpired(l, now, clockTolerance)) {
            return l.getNotAfter().toInstant();
        }
        Certificates.checkValidity(l, now, clockTolerance, leaf.type().name());
        return null;
    }

    /**
     * Verifies only the endorsement chain of a VCEK/VLEK: ARK self-signature, ARK → ASK (VCEK) or ASVK (VLEK) →
     * leaf with the configured anchors (the first anchor set that verifies), then validity of the three certificates
     * when enabled, with the clock tolerance and the expired-VLEK setting.
     *
     * @param leaf the VCEK or VLEK certificate
     * @param generation the generation whose anchors to use
     * @return the decoded leaf
     * @throws EvidenceRefusedException {@link ChainInvalid}, {@link EvidenceRefusedException.CertificateExpired},
     *         {@link Malformed} (unknown CN, bad extension), {@link PolicyViolation} (no anchors for the generation)
     */
    public AmdLeafCertificate verifyLeafChain(X509Certificate leaf, SnpGeneration generation)
            throws EvidenceRefusedException {
        AmdLeafCertificate l = AmdLeafCertificate.of(leaf);
        checkValidity(chain(new SnpEvidence(null, List.of()), l, generation), l);
        return l;
    }

    /**
     * Builds trustee's claims for a report without verifying anything (§6.5).
     *
     * @param report the report
     * @return the claims
     */
    public static Claims claims(SnpReport report) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("policy_abi_major", (long) report.policyAbiMajor());
        c.put("policy_abi_minor", (long) report.policyAbiMinor());
        c.put("policy_smt_allowed", report.policySmtAllowed());
        c.put("policy_migrate_ma", report.policyMigrateMa());
        c.put("policy_debug_allowed", report.policyDebugAllowed());
        c.put("policy_single_socket", report.policySingleSocket());
        TcbVersion t = report.reportedTcb();
        c.put("reported_tcb_bootloader", (long) t.bootloader());
        c.put("reported_tcb_tee", (long) t.tee());
        c.put("reported_tcb_snp", (long) t.snp());
        c.put("reported_tcb_microcode", (long) t.microcode());
        c.put("platform_tsme_enabled", report.platformTsmeEnabled());
        c.put("platform_smt_enabled", report.platformSmtEnabled());
        c.put("measurement", Bytes.hex(report.measurement()));
        c.put("chip_id", Bytes.hex(report.chipId()));
        return new Claims(Tee.SNP, c, Bytes.hex(report.reportData()), Bytes.hex(report.hostData()));
    }

    private X509Certificate leafCertificate(SnpEvidence ev, SnpReport report, SnpGeneration gen)
            throws EvidenceRefusedException {
        for (SnpEvidence.CertEntry e : ev.certChain()) {
            if (e.certType().equals("VCEK") || e.certType().equals("VLEK")) {
                return Certificates.fromDer(e.der(), e.certType());
            }
        }
        byte[] hwId = Arrays.copyOf(report.chipId(), gen.hwIdLength());
        if (kdsStore != null) {
            Optional<byte[]> der = kdsStore.findVcek(hwId, report.reportedTcb());
            if (der.isPresent()) {
                return Certificates.fromDer(der.get(), "VCEK from the KDS store");
            }
        }
        if (kdsClient != null) {
            if (Bytes.isZero(hwId)) {
                throw new EndorsementMissing("no VCEK/VLEK in the evidence and the chip_id is masked: the KDS cannot "
                        + "be asked");
            }
            return Certificates.fromDer(kdsClient.fetchVcek(gen, hwId, report.reportedTcb()), "VCEK from the KDS");
        }
        throw new EndorsementMissing("no VCEK/VLEK in the evidence and none in the offline KDS store");
    }

    private static X509Certificate intermediate(SnpEvidence ev, LeafType type, AmdTrustAnchors.Anchors a)
            throws EvidenceRefusedException {
        for (SnpEvidence.CertEntry e : ev.certChain()) {
            if (e.certType().equals("ASK") || e.certType().equals("ASVK")) {
                X509Certificate c = Certificates.fromDer(e.der(), e.certType());
                boolean isAsvk = Certificates.commonName(c).startsWith("SEV-VLEK-");
                if (isAsvk == (type == LeafType.VLEK)) {
                    return c;
                }
            }
        }
        X509Certificate c = type == LeafType.VCEK ? a.ask() : a.asvk();
        if (c == null) {
            throw new EndorsementMissing(type == LeafType.VCEK
                    ? "no ASK in the evidence and none configured with " + Certificates.commonName(a.ark())
                    : "no ASVK in the evidence and none configured for a VLEK-signed report");
        }
        return c;
    }

    private void verifyChain(X509Certificate ark, X509Certificate inter, X509Certificate leaf) throws ChainInvalid {
        String key;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(ark.getEncoded());
            md.update(inter.getEncoded());
            md.update(leaf.getEncoded());
            key = Bytes.hex(md.digest());
        } catch (GeneralSecurityException e) {
            throw new ChainInvalid("cannot encode the chain", e);
        }
        Optional<String> known = checkedChains.get(key, k -> {
            try {
                checkChain(ark, inter, leaf);
                return Optional.empty();
            } catch (ChainInvalid e) {
                return Optional.of(e.getMessage().substring(e.check().length() + 2)); // without "cert_chain: "
            }
        });
        if (known.isPresent()) {
            throw new ChainInvalid(known.get(), null);
        }
    }

    private static void checkChain(X509Certificate ark, X509Certificate inter, X509Certificate leaf)
            throws ChainInvalid {
        if (!ark.getSubjectX500Principal().equals(ark.getIssuerX500Principal())) {
            throw new ChainInvalid("ARK is not self-issued", null);
        }
        checkPss(ark, ark.getPublicKey(), "ARK self-signature");
        if (!inter.getIssuerX500Principal().equals(ark.getSubjectX500Principal())) {
            throw new ChainInvalid("intermediate " + Certificates.commonName(inter) + " not issued by "
                    + Certificates.commonName(ark), null);
        }
        checkPss(inter, ark.getPublicKey(), "ARK -> " + Certificates.commonName(inter));
        if (!leaf.getIssuerX500Principal().equals(inter.getSubjectX500Principal())) {
            throw new ChainInvalid("leaf not issued by " + Certificates.commonName(inter), null);
        }
        checkPss(leaf, inter.getPublicKey(), Certificates.commonName(inter) + " -> leaf");
        if (!(leaf.getPublicKey() instanceof ECPublicKey ec) || ec.getParams().getCurve().getField().getFieldSize() != 384) {
            throw new ChainInvalid("leaf key is not EC P-384", null);
        }
    }

    private static void checkPss(X509Certificate cert, PublicKey issuerKey, String what) throws ChainInvalid {
        if (!RSASSA_PSS_OID.equals(cert.getSigAlgOID())) {
            throw new ChainInvalid(what + ": signature algorithm " + cert.getSigAlgOID() + " is not RSASSA-PSS", null);
        }
        try {
            Signature s = Signature.getInstance("RSASSA-PSS");
            s.setParameter(new PSSParameterSpec("SHA-384", "MGF1", MGF1ParameterSpec.SHA384, 48, 1));
            s.initVerify(issuerKey);
            s.update(cert.getTBSCertificate());
            if (!s.verify(cert.getSignature())) {
                throw new ChainInvalid(what + ": signature does not verify", null);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ChainInvalid(what + ": " + e.getMessage(), e);
        }
    }

    private static void verifyReportSignature(SnpReport report, PublicKey key) throws SignatureInvalid {
        if (!report.signaturePaddingIsZero()) {
            throw new SignatureInvalid("report_signature", "bytes 48..71 of the signature fields are not zero", null);
        }
        try {
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initVerify(key);
            s.update(report.signedPart());
            if (!s.verify(report.signatureP1363())) {
                throw new SignatureInvalid("report_signature", "ECDSA P-384 signature over [0x000,0x2A0) fails",
                        null);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureInvalid("report_signature", e.getMessage(), e);
        }
    }

    private static void checkTcb(SnpReport report, AmdLeafCertificate leaf, SnpGeneration gen) throws TcbMismatch {
        TcbVersion r = report.reportedTcb();
        TcbVersion c = leaf.tcb();
        compare("blSPL", c.bootloader(), r.bootloader());
        compare("teeSPL", c.tee(), r.tee());
        compare("snpSPL", c.snp(), r.snp());
        compare("ucodeSPL", c.microcode(), r.microcode());
        if (gen == SnpGeneration.TURIN) {
            compare("fmcSPL", c.fmc() == null ? -1 : c.fmc(), r.fmc() == null ? 0 : r.fmc());
        }
    }

    private static void compare(String name, int cert, int reported) throws TcbMismatch {
        if (cert != reported) {
            throw new TcbMismatch(name + " in the certificate is " + (cert < 0 ? "absent" : cert)
                    + ", reported_tcb has " + reported);
        }
    }

    private static void checkSigningKey(SnpReport report, AmdLeafCertificate leaf) throws SigningKeyMismatch {
        int expected = leaf.type() == LeafType.VCEK ? SnpReport.SIGNING_KEY_VCEK : SnpReport.SIGNING_KEY_VLEK;
        if (report.signingKey() != expected) {
            throw new SigningKeyMismatch("key_info.signing_key is " + report.signingKey() + " but the leaf is a "
                    + leaf.type());
        }
    }

    private static void checkChipId(SnpReport report, AmdLeafCertificate leaf, SnpGeneration gen)
            throws ChipIdMismatch {
        byte[] hw = leaf.hwId();
        if (hw == null) {
            throw new ChipIdMismatch("VCEK has no hwID extension");
        }
        int n = gen.hwIdLength();
        byte[] chip = Arrays.copyOf(report.chipId(), n);
        byte[] hwPart = hw.length >= n ? Arrays.copyOf(hw, n) : hw;
        if (Bytes.isZero(chip) || !Bytes.constantTimeEquals(chip, hwPart)) {
            throw new ChipIdMismatch("chip_id[0:" + n + "] " + Bytes.hex(chip) + " != VCEK hwID " + Bytes.hex(hw));
        }
    }

    private static byte[] encoded(X509Certificate c) throws ChainInvalid {
        try {
            return c.getEncoded();
        } catch (CertificateEncodingException e) {
            throw new ChainInvalid("cannot encode certificate", e);
        }
    }
}
