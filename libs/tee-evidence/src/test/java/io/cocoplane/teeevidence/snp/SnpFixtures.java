package io.cocoplane.teeevidence.snp;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A synthetic AMD PKI built with BouncyCastle: RSA ARK/ASK/ASVK signing with RSASSA-PSS SHA-384 (salt 48) and EC
 * P-384 VCEK/VLEK leaves with the AMD TCB/hwID/productName extensions, plus a builder for signed SNP reports and
 * sev's serde JSON evidence form.
 *
 * <p>Shared with other modules' tests through this library's test-jar (only the {@code *Fixtures*} classes are in it),
 * e.g. {@code services/attestation} posts evidence signed by this PKI with the ARK configured as an extra trust anchor.
 */
public final class SnpFixtures {

    public static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String ARC = "1.3.6.1.4.1.3704.1";
    static final java.security.Provider BC = new org.bouncycastle.jce.provider.BouncyCastleProvider();

    final SnpGeneration gen;
    final KeyPair arkKey;
    final KeyPair askKey;
    final KeyPair asvkKey;
    final X509Certificate ark;
    final X509Certificate ask;
    final X509Certificate asvk;

    public record Leaf(X509Certificate cert, KeyPair key) {
    }

    public SnpFixtures(SnpGeneration gen) {
        this.gen = gen;
        try {
            arkKey = rsa();
            askKey = rsa();
            asvkKey = rsa();
            String p = gen.productName();
            ark = ca("ARK-" + p, arkKey, "ARK-" + p, arkKey, 1);
            ask = ca("SEV-" + p, askKey, "ARK-" + p, arkKey, 2);
            asvk = ca("SEV-VLEK-" + p, asvkKey, "ARK-" + p, arkKey, 3);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the self-signed test ARK ({@code CN=ARK-<product>}) */
    public X509Certificate ark() {
        return ark;
    }

    /** @return the test ASK ({@code CN=SEV-<product>}), issued by {@link #ark()} */
    public X509Certificate ask() {
        return ask;
    }

    /** @return the test ASVK ({@code CN=SEV-VLEK-<product>}), issued by {@link #ark()} */
    public X509Certificate asvk() {
        return asvk;
    }

    public AmdTrustAnchors anchors() {
        return AmdTrustAnchors.of(Map.of(gen, new AmdTrustAnchors.Anchors(ark, ask, asvk)));
    }

    static KeyPair rsa() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        return g.generateKeyPair();
    }

    static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate ca(String cn, KeyPair subject, String issuerCn, KeyPair issuer, long serial)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn), BigInteger.valueOf(serial),
                Date.from(NOW.minus(3650, ChronoUnit.DAYS)), Date.from(NOW.plus(3650, ChronoUnit.DAYS)),
                new X500Name("CN=" + cn), subject.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA384withRSAandMGF1").setProvider(BC).build(issuer.getPrivate())));
    }

    /** A VCEK (hwId non-null) or VLEK (hwId null, issued by the ASVK) for the given TCB and validity. */
    public Leaf leaf(boolean vlek, byte[] hwId, TcbVersion tcb, Instant notBefore, Instant notAfter) {
        try {
            KeyPair k = p384();
            var b = new JcaX509v3CertificateBuilder(
                    new X500Name("CN=" + (vlek ? "SEV-VLEK-" : "SEV-") + gen.productName()), BigInteger.ZERO,
                    Date.from(notBefore), Date.from(notAfter), new X500Name(vlek ? "CN=SEV-VLEK" : "CN=SEV-VCEK"),
                    k.getPublic());
            b.addExtension(new ASN1ObjectIdentifier(ARC + ".1"), false, new ASN1Integer(1));
            b.addExtension(new ASN1ObjectIdentifier(ARC + ".2"), false, new DERIA5String(gen.productName()));
            b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.1"), false, new ASN1Integer(tcb.bootloader()));
            b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.2"), false, new ASN1Integer(tcb.tee()));
            b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.3"), false, new ASN1Integer(tcb.snp()));
            b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.8"), false, new ASN1Integer(tcb.microcode()));
            if (tcb.fmc() != null) {
                b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.9"), false, new ASN1Integer(tcb.fmc()));
            }
            if (hwId != null) {
                b.addExtension(new ASN1ObjectIdentifier(ARC + ".4"), false, new DEROctetString(hwId));
            }
            if (vlek) {
                b.addExtension(new ASN1ObjectIdentifier(ARC + ".5"), false, new DERIA5String("CN=example-csp"));
            }
            PrivateKey signer = vlek ? asvkKey.getPrivate() : askKey.getPrivate();
            X509Certificate c = new JcaX509CertificateConverter().getCertificate(
                    b.build(new JcaContentSignerBuilder("SHA384withRSAandMGF1").setProvider(BC).build(signer)));
            return new Leaf(c, k);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public Leaf vcek(byte[] hwId, TcbVersion tcb) {
        return leaf(false, hwId, tcb, NOW.minus(30, ChronoUnit.DAYS), NOW.plus(365, ChronoUnit.DAYS));
    }

    /** Mutable description of a synthetic report; {@link #bytes()} lays it out per the ABI, unsigned. */
    public static final class Report {
        public int version = 3;
        public int family = 0x19;
        public int model = 0x11;
        public long policy = 0x30000L;
        public long vmpl = 0;
        public long keyInfo = 0; // signing_key VCEK
        public long platInfo = 0x25;
        public byte[] reportData = filled(64, 0x11);
        public byte[] measurement = filled(48, 0x22);
        public byte[] hostData = filled(32, 0x33);
        public byte[] chipId = filled(64, 0x44);
        public TcbVersion tcb = new TcbVersion(null, 10, 0, 23, 25);
        public boolean turin = false;

        public byte[] bytes() {
            byte[] b = new byte[SnpReport.SIZE];
            le(b, 0x000, version, 4);
            le(b, 0x004, 7, 4);
            le(b, 0x008, policy, 8);
            le(b, 0x030, vmpl, 4);
            le(b, 0x034, 1, 4);
            System.arraycopy(tcb.encode(turin), 0, b, 0x038, 8);
            le(b, 0x040, platInfo, 8);
            le(b, 0x048, keyInfo, 4);
            System.arraycopy(reportData, 0, b, 0x050, 64);
            System.arraycopy(measurement, 0, b, 0x090, 48);
            System.arraycopy(hostData, 0, b, 0x0C0, 32);
            System.arraycopy(tcb.encode(turin), 0, b, 0x180, 8);
            if (version >= 3) {
                b[0x188] = (byte) family;
                b[0x189] = (byte) model;
                b[0x18A] = 1;
            }
            System.arraycopy(chipId, 0, b, 0x1A0, 64);
            System.arraycopy(tcb.encode(turin), 0, b, 0x1E0, 8);
            b[0x1E8] = 40;
            b[0x1E9] = 55;
            b[0x1EA] = 1;
            b[0x1EC] = 40;
            b[0x1ED] = 55;
            b[0x1EE] = 1;
            System.arraycopy(tcb.encode(turin), 0, b, 0x1F0, 8);
            return b;
        }
    }

    public static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    static void le(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** Signs {@code [0, 0x2A0)} with ECDSA P-384/SHA-384 and writes r, s little-endian into the report. */
    public static byte[] sign(byte[] report, PrivateKey key) {
        try {
            Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
            s.initSign(key);
            s.update(report, 0, SnpReport.SIGNED_LENGTH);
            byte[] sig = s.sign();
            byte[] out = report.clone();
            java.util.Arrays.fill(out, SnpReport.SIGNATURE_R_OFFSET, SnpReport.SIZE, (byte) 0);
            for (int i = 0; i < 48; i++) {
                out[SnpReport.SIGNATURE_R_OFFSET + i] = sig[47 - i];
                out[SnpReport.SIGNATURE_S_OFFSET + i] = sig[95 - i];
            }
            return out;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Serializes a report to sev's serde JSON form (independently of {@link SnpEvidence}). */
    public static final class SerdeJson {
        /** The evidence with a {@code VCEK} entry only. */
        public static String of(byte[] r, byte[] vcekDer) {
            return of(r, java.util.List.of(new SnpEvidence.CertEntry("VCEK", vcekDer)));
        }

        /** The evidence with the given {@code cert_chain} entries (type and DER), in order. */
        public static String of(byte[] r, java.util.List<SnpEvidence.CertEntry> certs) {
            StringBuilder sb = new StringBuilder("{\"attestation_report\":{");
            sb.append("\"version\":").append(u(r, 0, 4)).append(',');
            sb.append("\"guest_svn\":").append(u(r, 4, 4)).append(',');
            sb.append("\"policy\":").append(u(r, 8, 8)).append(',');
            arr(sb, "family_id", r, 0x10, 16);
            arr(sb, "image_id", r, 0x20, 16);
            sb.append("\"vmpl\":").append(u(r, 0x30, 4)).append(',');
            sb.append("\"sig_algo\":").append(u(r, 0x34, 4)).append(',');
            tcb(sb, "current_tcb", r, 0x38);
            sb.append("\"plat_info\":").append(u(r, 0x40, 8)).append(',');
            sb.append("\"key_info\":").append(u(r, 0x48, 4)).append(',');
            arr(sb, "report_data", r, 0x50, 64);
            arr(sb, "measurement", r, 0x90, 48);
            arr(sb, "host_data", r, 0xC0, 32);
            arr(sb, "id_key_digest", r, 0xE0, 48);
            arr(sb, "author_key_digest", r, 0x110, 48);
            arr(sb, "report_id", r, 0x140, 32);
            arr(sb, "report_id_ma", r, 0x160, 32);
            tcb(sb, "reported_tcb", r, 0x180);
            sb.append("\"cpuid_fam_id\":").append(r[0x188] & 0xff).append(',');
            sb.append("\"cpuid_mod_id\":").append(r[0x189] & 0xff).append(',');
            sb.append("\"cpuid_step\":").append(r[0x18A] & 0xff).append(',');
            arr(sb, "chip_id", r, 0x1A0, 64);
            tcb(sb, "committed_tcb", r, 0x1E0);
            sb.append("\"current\":{\"major\":").append(r[0x1EA]).append(",\"minor\":").append(r[0x1E9])
                    .append(",\"build\":").append(r[0x1E8]).append("},");
            sb.append("\"committed\":{\"major\":").append(r[0x1EE]).append(",\"minor\":").append(r[0x1ED])
                    .append(",\"build\":").append(r[0x1EC]).append("},");
            tcb(sb, "launch_tcb", r, 0x1F0);
            sb.append("\"signature\":{");
            arr(sb, "r", r, 0x2A0, 72);
            arr(sb, "s", r, 0x2E8, 72);
            sb.setLength(sb.length() - 1);
            sb.append("}},\"cert_chain\":[");
            for (int c = 0; c < certs.size(); c++) {
                byte[] der = certs.get(c).der();
                sb.append(c == 0 ? "" : ",").append("{\"cert_type\":\"").append(certs.get(c).certType())
                        .append("\",\"data\":[");
                for (int i = 0; i < der.length; i++) {
                    sb.append(i == 0 ? "" : ",").append(der[i] & 0xff);
                }
                sb.append("]}");
            }
            return sb.append("]}").toString();
        }

        static long u(byte[] r, int off, int n) {
            long v = 0;
            for (int i = n - 1; i >= 0; i--) {
                v = v << 8 | (r[off + i] & 0xff);
            }
            return v;
        }

        static void arr(StringBuilder sb, String name, byte[] r, int off, int n) {
            sb.append('"').append(name).append("\":[");
            for (int i = 0; i < n; i++) {
                sb.append(i == 0 ? "" : ",").append(r[off + i] & 0xff);
            }
            sb.append("],");
        }

        static void tcb(StringBuilder sb, String name, byte[] r, int off) { // Milan/Genoa layout
            sb.append('"').append(name).append("\":{\"fmc\":null,\"bootloader\":").append(r[off] & 0xff)
                    .append(",\"tee\":").append(r[off + 1] & 0xff).append(",\"snp\":").append(r[off + 6] & 0xff)
                    .append(",\"microcode\":").append(r[off + 7] & 0xff).append("},");
        }
    }
}
