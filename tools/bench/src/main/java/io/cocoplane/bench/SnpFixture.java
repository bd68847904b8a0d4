package io.cocoplane.bench;

import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Date;
import java.util.Map;

import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DERIA5String;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import io.cocoplane.teeevidence.snp.AmdTrustAnchors;
import io.cocoplane.teeevidence.snp.SnpGeneration;
import io.cocoplane.teeevidence.snp.SnpReport;
import io.cocoplane.teeevidence.snp.TcbVersion;

/**
 * A synthetic Genoa PKI for the benchmark (BouncyCastle): RSA ARK and ASK (2048-bit: AMD uses 4096, but the chain is verified once and cached, so the size
 * only changes set-up time) signing with RSASSA-PSS SHA-384, an
 * EC P-384 VCEK with the AMD extensions bound to the report's chip id and TCB, and a version-3 report signed by it.
 */
final class SnpFixture {

    static final String ARC = "1.3.6.1.4.1.3704.1";
    static final int SIGNED_LENGTH = 0x2A0;
    private static final Provider BC = new BouncyCastleProvider();

    final SnpGeneration gen = SnpGeneration.GENOA;
    final X509Certificate ark;
    final X509Certificate ask;
    final X509Certificate vcek;
    final KeyPair vcekKey;
    final byte[] reportData = filled(64, 0x11);
    final byte[] chipId = filled(64, 0x44);
    final TcbVersion tcb = new TcbVersion(null, 10, 0, 23, 25);
    /** the signed report, AMD layout (r, s little-endian at 0x2A0) */
    final byte[] report;
    /** the same signature over {@code report[0, 0x2A0)} as DER, for the JDK's {@code SHA384withECDSA} */
    final byte[] derSignature;

    SnpFixture() {
        try {
            Instant now = Instant.now();
            KeyPair arkKey = keyPair("RSA", 2048);
            KeyPair askKey = keyPair("RSA", 2048);
            String p = gen.productName();
            ark = ca("ARK-" + p, arkKey, "ARK-" + p, arkKey, 1, now);
            ask = ca("SEV-" + p, askKey, "ARK-" + p, arkKey, 2, now);
            // the ASVK is not used with a VCEK; AmdTrustAnchors wants one: reuse a CA certificate shape
            vcekKey = p384();
            vcek = leaf(askKey.getPrivate(), now);
            byte[] unsigned = reportBytes();
            Signature der = Signature.getInstance("SHA384withECDSA");
            der.initSign(vcekKey.getPrivate());
            der.update(unsigned, 0, SIGNED_LENGTH);
            derSignature = der.sign();
            report = withSignature(unsigned, p1363(derSignature));
        } catch (Exception e) {
            throw new IllegalStateException("building the SNP fixture failed", e);
        }
    }

    AmdTrustAnchors anchors() {
        return AmdTrustAnchors.of(Map.of(gen, new AmdTrustAnchors.Anchors(ark, ask, ask)));
    }

    private static KeyPair keyPair(String alg, int bits) throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
        g.initialize(bits);
        return g.generateKeyPair();
    }

    private static KeyPair p384() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        return g.generateKeyPair();
    }

    private static X509Certificate ca(String cn, KeyPair subject, String issuerCn, KeyPair issuer, long serial,
                                      Instant now) throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn), BigInteger.valueOf(serial),
                Date.from(now.minus(3650, ChronoUnit.DAYS)), Date.from(now.plus(3650, ChronoUnit.DAYS)),
                new X500Name("CN=" + cn), subject.getPublic());
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA384withRSAandMGF1").setProvider(BC).build(issuer.getPrivate())));
    }

    private X509Certificate leaf(PrivateKey askKey, Instant now) throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=SEV-" + gen.productName()), BigInteger.ZERO,
                Date.from(now.minus(30, ChronoUnit.DAYS)), Date.from(now.plus(365, ChronoUnit.DAYS)),
                new X500Name("CN=SEV-VCEK"), vcekKey.getPublic());
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".1"), false, new ASN1Integer(1));
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".2"), false, new DERIA5String(gen.productName()));
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.1"), false, new ASN1Integer(tcb.bootloader()));
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.2"), false, new ASN1Integer(tcb.tee()));
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.3"), false, new ASN1Integer(tcb.snp()));
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".3.8"), false, new ASN1Integer(tcb.microcode()));
        b.addExtension(new ASN1ObjectIdentifier(ARC + ".4"), false, new DEROctetString(chipId));
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA384withRSAandMGF1").setProvider(BC).build(askKey)));
    }

    /** A version-3 Genoa report (family 0x19, model 0x11), VMPL 0, signed by the VCEK; signature left zero. */
    private byte[] reportBytes() {
        byte[] b = new byte[SnpReport.SIZE];
        le(b, 0x000, 3, 4);
        le(b, 0x004, 7, 4);
        le(b, 0x008, 0x30000L, 8);
        le(b, 0x030, 0, 4);
        le(b, 0x034, 1, 4); // signature_algo: ECDSA P-384 with SHA-384
        byte[] t = tcb.encode(false);
        System.arraycopy(t, 0, b, 0x038, 8);
        le(b, 0x040, 0x25, 8);
        le(b, 0x048, 0, 4); // key_info: signed with the VCEK
        System.arraycopy(reportData, 0, b, 0x050, 64);
        System.arraycopy(filled(48, 0x22), 0, b, 0x090, 48);
        System.arraycopy(filled(32, 0x33), 0, b, 0x0C0, 32);
        System.arraycopy(t, 0, b, 0x180, 8);
        b[0x188] = 0x19;
        b[0x189] = 0x11;
        b[0x18A] = 1;
        System.arraycopy(chipId, 0, b, 0x1A0, 64);
        System.arraycopy(t, 0, b, 0x1E0, 8);
        b[0x1E8] = 40;
        b[0x1E9] = 55;
        b[0x1EA] = 1;
        b[0x1EC] = 40;
        b[0x1ED] = 55;
        b[0x1EE] = 1;
        System.arraycopy(t, 0, b, 0x1F0, 8);
        return b;
    }

    /** DER ECDSA-Sig-Value to 96-byte r‖s big-endian. */
    static byte[] p1363(byte[] der) {
        org.bouncycastle.asn1.ASN1Sequence seq = org.bouncycastle.asn1.ASN1Sequence.getInstance(der);
        byte[] out = new byte[96];
        for (int k = 0; k < 2; k++) {
            byte[] v = org.bouncycastle.util.BigIntegers.asUnsignedByteArray(48,
                    ASN1Integer.getInstance(seq.getObjectAt(k)).getValue());
            System.arraycopy(v, 0, out, 48 * k, 48);
        }
        return out;
    }

    private static byte[] withSignature(byte[] report, byte[] rs) {
        byte[] out = report.clone();
        Arrays.fill(out, SnpReport.SIGNATURE_R_OFFSET, SnpReport.SIZE, (byte) 0);
        for (int i = 0; i < 48; i++) {
            out[SnpReport.SIGNATURE_R_OFFSET + i] = rs[47 - i];
            out[SnpReport.SIGNATURE_S_OFFSET + i] = rs[95 - i];
        }
        return out;
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private static void le(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }
}
