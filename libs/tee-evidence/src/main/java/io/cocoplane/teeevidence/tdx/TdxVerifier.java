package io.cocoplane.teeevidence.tdx;

import java.math.BigInteger;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.time.Clock;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Json;
import io.cocoplane.teeevidence.Tee;
import tools.jackson.databind.JsonNode;

/**
 * Intel TDX evidence verifier ({@code kbs-attestation.md} §7.2): the offline part of Intel's QVL, plus trustee's
 * bindings.
 *
 * <p>Order of checks: parse evidence and quote ({@link Malformed}); {@code att_key_type == 2}, {@code tee_type == 0x81},
 * Intel QE vendor id ({@link PolicyViolation}); PCK chain = leaf, intermediate, root with the root byte-equal to the
 * configured Intel SGX Root CA and each signature verifying ({@link ChainInvalid}); validity of the three certificates
 * at the injected clock ({@link EvidenceRefusedException.CertificateExpired}); QE report signature by the PCK key
 * (ECDSA P-256/SHA-256); QE binding {@code qe_report.report_data[0:32] == SHA-256(attestation_key ‖ qe_auth_data)},
 * {@code [32:64]} zero; quote signature by the attestation key over header (‖ v5 body descriptor) ‖ body (all
 * {@link SignatureInvalid}); TCB status from {@link TdxCollateral} when configured, or from the
 * {@link TdxCollateralStore} entry for the PCK's FMSPC (Revoked or unmatched levels →
 * {@link PolicyViolation} {@code tcb_status}/{@link EvidenceRefusedException.CollateralInvalid}), otherwise
 * {@code tcb_status = "Unknown"} with {@code collateral_missing = true}; {@code report_data == pad64(expected)}
 * ({@link ReportDataMismatch}); {@code mr_config_id == pad48/trunc48(init digest)} ({@link InitDataMismatch}).
 *
 * <p>Evidence: the JSON {@code {"cc_eventlog": <std base64> | null, "quote": "<std base64>"}} or a raw quote. When a
 * CCEL is present it is parsed ({@link CcEventLog}) and replayed after all other checks; every replayed RTMR must
 * equal the quote's ({@link EvidenceRefusedException.EventLogMismatch}). The {@code uefi_event_logs} claim is not
 * produced.
 *
 * <p>Claims (§7.3, trustee names; byte fields lowercase hex of the raw little-endian bytes): {@code quote.header.
 * {version, att_key_type, tee_type, reserved, vendor_id, user_data}}, {@code quote.body.{tcb_svn, mr_seam,
 * mrsigner_seam, seam_attributes, td_attributes, xfam, mr_td, mr_config_id, mr_owner, mr_owner_config, rtmr_0…3,
 * report_data[, tee_tcb_svn2, mr_servicetd]}}, v5 {@code quote.type}/{@code quote.size}, {@code td_attributes.{debug,
 * key_locker, perfmon, protection_keys, septve_disable}}, {@code platform_instance_id} (when the PCK has one; the 16 extension bytes reversed, as trustee prints them),
 * {@code tcb_status}, {@code root_key_id} (SHA-384 of the root key's 0x04‖X‖Y), and with collateral
 * {@code collateral_expiration_status}, {@code tcb_date}, {@code advisory_ids}, {@code tcb_eval_num}; report_data and
 * init_data (= mr_config_id) in {@link Claims}.
 */
public final class TdxVerifier implements EvidenceVerifier {

    /** Intel's QE vendor id. */
    public static final String INTEL_QE_VENDOR_ID = "939a7233f79c4ca9940a0db3957f0607";
    /** Largest CCEL accepted, in bytes (decoded). */
    public static final int MAX_CCEL_BYTES = 1024 * 1024;

    private static final String ROOT_RESOURCE = "/io/cocoplane/teeevidence/tdx/intel_sgx_root_ca.pem";

    private final X509Certificate root;
    private final Clock clock;
    private final TdxCollateral collateral;
    private final TdxCollateralStore collateralStore;
    private final boolean checkValidity;

    private TdxVerifier(Builder b) {
        this.root = b.root;
        this.clock = b.clock;
        this.collateral = b.collateral;
        this.collateralStore = b.collateralStore;
        this.checkValidity = b.checkValidity;
    }

    /**
     * @return the Intel SGX Root CA bundled with this library ({@code CN=Intel SGX Root CA}, ECDSA P-256, valid
     *         2018-05-21…2049-12-31, SHA-256 of DER {@code 44a0196b…74d3})
     */
    public static X509Certificate intelSgxRootCa() {
        return Certificates.resourcePem(ROOT_RESOURCE).get(0);
    }

    /**
     * @return a builder with the bundled Intel root, the system UTC clock, no collateral and validity checks on
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link TdxVerifier}. */
    public static final class Builder {
        private X509Certificate root;
        private Clock clock = Clock.systemUTC();
        private TdxCollateral collateral;
        private TdxCollateralStore collateralStore;
        private boolean checkValidity = true;

        private Builder() {
        }

        /**
         * @param root the trusted Intel SGX Root CA (default {@link TdxVerifier#intelSgxRootCa()})
         * @return this
         */
        public Builder rootCa(X509Certificate root) {
            this.root = Objects.requireNonNull(root);
            return this;
        }

        /**
         * @param clock clock for certificate validity and collateral expiry
         * @return this
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock);
            return this;
        }

        /**
         * @param collateral TCB Info and QE Identity for TCB status evaluation
         * @return this
         */
        public Builder collateral(TdxCollateral collateral) {
            this.collateral = Objects.requireNonNull(collateral);
            return this;
        }

        /**
         * @param store collateral per FMSPC, used when no single {@link #collateral(TdxCollateral)} is set; a
         *        platform whose FMSPC has no TCB Info there gets {@code tcb_status "Unknown"} and
         *        {@code collateral_missing = true}
         * @return this
         */
        public Builder collateralStore(TdxCollateralStore store) {
            this.collateralStore = Objects.requireNonNull(store);
            return this;
        }

        /**
         * @param check whether to check certificate validity periods (default true)
         * @return this
         */
        public Builder checkCertificateValidity(boolean check) {
            this.checkValidity = check;
            return this;
        }

        /** @return the verifier */
        public TdxVerifier build() {
            if (root == null) {
                root = intelSgxRootCa();
            }
            return new TdxVerifier(this);
        }
    }

    /** {@inheritDoc} */
    @Override
    public Tee tee() {
        return Tee.TDX;
    }

    /**
     * Extracts the quote from the evidence: JSON (first non-blank byte {@code '{'}) or raw quote bytes.
     *
     * @param evidence evidence bytes (≤ {@link io.cocoplane.teeevidence.EvidenceVerifier#MAX_EVIDENCE_BYTES})
     * @return the raw quote
     * @throws Malformed when the JSON lacks {@code quote}, the base64 is invalid or the CCEL is too large
     */
    public static byte[] quoteBytes(byte[] evidence) throws Malformed {
        return split(evidence)[0];
    }

    /** [quote, cc_eventlog or null]. */
    private static byte[][] split(byte[] evidence) throws Malformed {
        if (evidence.length > MAX_EVIDENCE_BYTES) {
            throw new Malformed("evidence larger than " + MAX_EVIDENCE_BYTES + " bytes", MAX_EVIDENCE_BYTES);
        }
        int i = 0;
        while (i < evidence.length && Character.isWhitespace(evidence[i])) {
            i++;
        }
        if (i == evidence.length || evidence[i] != '{') {
            return new byte[][] {evidence.clone(), null};
        }
        JsonNode root = Json.parseObject(evidence);
        JsonNode ccel = root.get("cc_eventlog");
        byte[] log = null;
        if (ccel != null && !ccel.isNull()) {
            log = base64(Json.string(root, "cc_eventlog"), "cc_eventlog");
            if (log.length > MAX_CCEL_BYTES) {
                throw new Malformed("cc_eventlog larger than " + MAX_CCEL_BYTES + " bytes", -1);
            }
        }
        return new byte[][] {base64(Json.string(root, "quote"), "quote"), log};
    }

    private static byte[] base64(String s, String name) throws Malformed {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Malformed("\"" + name + "\" is not standard base64", -1, e);
        }
    }

    /** {@inheritDoc} See the class documentation for the checks, their order and the exception of each. */
    @Override
    public Claims verify(byte[] evidence, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(evidence, "evidence");
        byte[][] parts = split(evidence);
        TdxQuote quote = TdxQuote.parse(parts[0]);
        CcEventLog log = parts[1] == null ? null : CcEventLog.parse(parts[1]);
        Claims claims = verify(quote, expected);
        if (log != null) {
            byte[][] replayed = log.replayRtmrs();
            for (int r = 0; r < 4; r++) {
                if (!Bytes.constantTimeEquals(replayed[r], quote.rtmr(r))) {
                    throw new EvidenceRefusedException.EventLogMismatch("RTMR" + r + " replayed from cc_eventlog is "
                            + Bytes.hex(replayed[r]) + ", the quote has " + Bytes.hex(quote.rtmr(r)));
                }
            }
        }
        return claims;
    }

    /**
     * Verifies a parsed quote (same checks and exceptions as {@link #verify(byte[], ExpectedValues)}).
     *
     * @param quote the quote
     * @param expected expected values
     * @return the claims
     * @throws EvidenceRefusedException naming the failed check
     */
    public Claims verify(TdxQuote quote, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(expected, "expected");
        if (quote.attestationKeyType() != 2) {
            throw new PolicyViolation("att_key_type", "attestation key type " + quote.attestationKeyType()
                    + " is not 2 (ECDSA-256-with-P-256)");
        }
        if (quote.teeType() != 0x81) {
            throw new PolicyViolation("tee_type", "tee_type 0x" + Long.toHexString(quote.teeType()) + " is not TDX");
        }
        if (!Bytes.hex(quote.qeVendorId()).equals(INTEL_QE_VENDOR_ID)) {
            throw new PolicyViolation("qe_vendor_id", "QE vendor id " + Bytes.hex(quote.qeVendorId())
                    + " is not Intel's");
        }
        PckCertificate pck = verifyPckChain(quote.pckChainPem());
        verify("qe_report_signature", pck.certificate().getPublicKey(), quote.qeReport(), quote.qeReportSignature());
        byte[] qeRd = Arrays.copyOfRange(quote.qeReport(), 320, 384);
        byte[] binding = sha("SHA-256", concat(quote.attestationKey(), quote.qeAuthData()));
        if (!Bytes.constantTimeEquals(Arrays.copyOf(qeRd, 32), binding)
                || !Bytes.isZero(Arrays.copyOfRange(qeRd, 32, 64))) {
            throw new SignatureInvalid("qe_report_data",
                    "QE report data is not SHA-256(attestation key || QE auth data) || 0^32", null);
        }
        verify("quote_signature", p256(quote.attestationKey()), quote.signedData(), quote.signature());

        TdxCollateral c = collateral != null ? collateral
                : collateralStore == null ? null : collateralStore.forFmspc(pck.fmspc()).orElse(null);
        TdxCollateral.Evaluation tcb = c == null ? null : c.evaluate(quote, pck, clock.instant());

        byte[] rd = expected.reportData();
        if (rd != null && !Bytes.constantTimeEquals(quote.reportData(), Bytes.regularize(rd, 64))) {
            throw new ReportDataMismatch("report_data " + Bytes.hex(quote.reportData()) + " != pad64("
                    + Bytes.hex(rd) + ")");
        }
        byte[] init = expected.initDataDigest();
        if (init != null && !Bytes.constantTimeEquals(quote.mrConfigId(), Bytes.regularize(init, 48))) {
            throw new InitDataMismatch("mr_config_id " + Bytes.hex(quote.mrConfigId()) + " != pad48("
                    + Bytes.hex(init) + ")");
        }
        return claims(quote, pck, rootKeyId(), tcb);
    }

    private PckCertificate verifyPckChain(byte[] pem) throws EvidenceRefusedException {
        List<X509Certificate> chain = Certificates.fromPem(pem, "PCK certificate chain");
        if (chain.size() != 3) {
            throw new ChainInvalid("PCK chain must be leaf, intermediate CA, root CA; got " + chain.size()
                    + " certificates", null);
        }
        X509Certificate leaf = chain.get(0);
        X509Certificate inter = chain.get(1);
        X509Certificate r = chain.get(2);
        try {
            if (!Arrays.equals(r.getEncoded(), root.getEncoded())) {
                throw new ChainInvalid("the chain's root is not the trusted Intel SGX Root CA", null);
            }
            if (!leaf.getIssuerX500Principal().equals(inter.getSubjectX500Principal())
                    || !inter.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
                throw new ChainInvalid("PCK chain issuer/subject names do not link", null);
            }
            inter.verify(root.getPublicKey());
            leaf.verify(inter.getPublicKey());
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new ChainInvalid("PCK chain signature does not verify: " + e.getMessage(), e);
        }
        if (checkValidity) {
            var now = clock.instant();
            Certificates.checkValidity(root, now, "Intel SGX Root CA");
            Certificates.checkValidity(inter, now, "PCK CA");
            Certificates.checkValidity(leaf, now, "PCK certificate");
        }
        if (!(leaf.getPublicKey() instanceof ECPublicKey)) {
            throw new ChainInvalid("PCK key is not EC", null);
        }
        return PckCertificate.of(leaf);
    }

    private static void verify(String what, PublicKey key, byte[] data, byte[] sig) throws SignatureInvalid {
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(key);
            s.update(data);
            if (!s.verify(sig)) {
                throw new SignatureInvalid(what, "ECDSA P-256 signature does not verify", null);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureInvalid(what, e.getMessage(), e);
        }
    }

    private static PublicKey p256(byte[] xy) throws SignatureInvalid {
        try {
            AlgorithmParameters ap = AlgorithmParameters.getInstance("EC");
            ap.init(new ECGenParameterSpec("secp256r1"));
            ECParameterSpec spec = ap.getParameterSpec(ECParameterSpec.class);
            ECPoint w = new ECPoint(new BigInteger(1, Arrays.copyOf(xy, 32)),
                    new BigInteger(1, Arrays.copyOfRange(xy, 32, 64)));
            return KeyFactory.getInstance("EC").generatePublic(new ECPublicKeySpec(w, spec));
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureInvalid("quote_signature", "attestation key is not a P-256 point", e);
        }
    }

    private String rootKeyId() {
        ECPublicKey k = (ECPublicKey) root.getPublicKey();
        byte[] x = fixed(k.getW().getAffineX(), 32);
        byte[] y = fixed(k.getW().getAffineY(), 32);
        return Bytes.hex(sha("SHA-384", concat(new byte[] {4}, concat(x, y))));
    }

    private static byte[] fixed(BigInteger v, int len) {
        byte[] b = v.toByteArray();
        byte[] out = new byte[len];
        int n = Math.min(b.length, len);
        System.arraycopy(b, b.length - n, out, len - n, n);
        return out;
    }

    static byte[] sha(String alg, byte[] data) {
        try {
            return MessageDigest.getInstance(alg).digest(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /**
     * Builds trustee's TDX claims (§7.3) for a quote, without verifying it.
     *
     * @param quote the quote
     * @param pck the decoded PCK leaf, or {@code null}
     * @param rootKeyId hex root key id, or {@code null}
     * @param tcb the collateral evaluation, or {@code null} when collateral was missing
     * @return the claims
     */
    public static Claims claims(TdxQuote quote, PckCertificate pck, String rootKeyId, TdxCollateral.Evaluation tcb) {
        byte[] h = quote.header();
        Map<String, Object> header = new LinkedHashMap<>();
        header.put("version", Bytes.hex(Arrays.copyOfRange(h, 0, 2)));
        header.put("att_key_type", Bytes.hex(Arrays.copyOfRange(h, 2, 4)));
        header.put("tee_type", Bytes.hex(Arrays.copyOfRange(h, 4, 8)));
        header.put("reserved", Bytes.hex(Arrays.copyOfRange(h, 8, 12)));
        header.put("vendor_id", Bytes.hex(Arrays.copyOfRange(h, 12, 28)));
        header.put("user_data", Bytes.hex(Arrays.copyOfRange(h, 28, 48)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("tcb_svn", Bytes.hex(quote.teeTcbSvn()));
        body.put("mr_seam", Bytes.hex(quote.mrSeam()));
        body.put("mrsigner_seam", Bytes.hex(quote.mrSignerSeam()));
        body.put("seam_attributes", Bytes.hex(quote.seamAttributes()));
        body.put("td_attributes", Bytes.hex(quote.tdAttributes()));
        body.put("xfam", Bytes.hex(quote.bodyField(128, 8)));
        body.put("mr_td", Bytes.hex(quote.mrTd()));
        body.put("mr_config_id", Bytes.hex(quote.mrConfigId()));
        body.put("mr_owner", Bytes.hex(quote.bodyField(232, 48)));
        body.put("mr_owner_config", Bytes.hex(quote.bodyField(280, 48)));
        for (int i = 0; i < 4; i++) {
            body.put("rtmr_" + i, Bytes.hex(quote.rtmr(i)));
        }
        body.put("report_data", Bytes.hex(quote.reportData()));
        if (quote.bodyType() == 3) {
            body.put("tee_tcb_svn2", Bytes.hex(quote.bodyField(584, 16)));
            body.put("mr_servicetd", Bytes.hex(quote.bodyField(600, 48)));
        }
        Map<String, Object> q = new LinkedHashMap<>();
        q.put("header", header);
        q.put("body", body);
        if (quote.version() == 5) {
            q.put("type", Bytes.hex(new byte[] {(byte) quote.bodyType(), 0}));
            int size = quote.bodyType() == 3 ? TdxQuote.BODY_SIZE_1_5 : TdxQuote.BODY_SIZE_1_0;
            q.put("size", Bytes.hex(new byte[] {(byte) size, (byte) (size >>> 8), 0, 0}));
        }
        long attrs = 0;
        byte[] a = quote.tdAttributes();
        for (int i = 7; i >= 0; i--) {
            attrs = attrs << 8 | (a[i] & 0xff);
        }
        Map<String, Object> tdAttributes = new LinkedHashMap<>();
        tdAttributes.put("debug", (attrs & 1L) != 0);
        tdAttributes.put("key_locker", (attrs >>> 31 & 1L) != 0);
        tdAttributes.put("perfmon", (attrs >>> 63 & 1L) != 0);
        tdAttributes.put("protection_keys", (attrs >>> 30 & 1L) != 0);
        tdAttributes.put("septve_disable", (attrs >>> 28 & 1L) != 0);
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("quote", q);
        c.put("td_attributes", tdAttributes);
        if (pck != null && pck.platformInstanceId() != null) {
            // trustee prints the extension's 16 bytes in reverse order (oracle: parse_tdx_claims_expected.json)
            byte[] pii = pck.platformInstanceId();
            byte[] rev = new byte[pii.length];
            for (int i = 0; i < pii.length; i++) {
                rev[i] = pii[pii.length - 1 - i];
            }
            c.put("platform_instance_id", Bytes.hex(rev));
        }
        if (rootKeyId != null) {
            c.put("root_key_id", rootKeyId);
        }
        if (tcb == null) {
            c.put("tcb_status", "Unknown");
            c.put("collateral_missing", true);
        } else {
            c.put("tcb_status", tcb.tcbStatus());
            c.put("collateral_expiration_status", tcb.collateralExpired() ? "1" : "0");
            c.put("tcb_date", tcb.tcbDate());
            c.put("advisory_ids", tcb.advisoryIds());
            c.put("tcb_eval_num", (long) tcb.tcbEvaluationDataNumber());
        }
        return new Claims(Tee.TDX, c, Bytes.hex(quote.reportData()), Bytes.hex(quote.mrConfigId()));
    }
}
