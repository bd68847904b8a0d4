package io.cocoplane.teeevidence.tdx;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;

import org.bouncycastle.asn1.ASN1EncodableVector;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.DERSequence;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A synthetic Intel PCK PKI (EC P-256 root → platform CA → PCK leaf with the SGX extension) and a builder of signed
 * TDX v4/v5 quotes laid out per the DCAP quote format, independent of {@link TdxQuote}.
 */
final class TdxFixtures {

    static final Instant NOW = Instant.parse("2026-06-01T00:00:00Z");
    static final String SGX = "1.2.840.113741.1.13.1";
    static final byte[] FMSPC = {0x00, (byte) 0xa0, 0x6d, 0x08, 0x00, 0x00};

    final KeyPair rootKey = p256();
    final KeyPair caKey = p256();
    final KeyPair pckKey = p256();
    final X509Certificate root;
    final X509Certificate ca;
    final X509Certificate pck;

    TdxFixtures() {
        try {
            root = cert("Test SGX Root CA", rootKey, "Test SGX Root CA", rootKey.getPrivate(), false);
            ca = cert("Test SGX PCK Platform CA", caKey, "Test SGX Root CA", rootKey.getPrivate(), false);
            pck = cert("Test SGX PCK Certificate", pckKey, "Test SGX PCK Platform CA", caKey.getPrivate(), true);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair p256() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static X509Certificate cert(String cn, KeyPair subject, String issuerCn, PrivateKey issuer, boolean sgxExt)
            throws Exception {
        var b = new JcaX509v3CertificateBuilder(new X500Name("CN=" + issuerCn), BigInteger.valueOf(cn.hashCode() & 0xffff),
                Date.from(NOW.minus(365, ChronoUnit.DAYS)), Date.from(NOW.plus(365, ChronoUnit.DAYS)),
                new X500Name("CN=" + cn), subject.getPublic());
        if (sgxExt) {
            ASN1EncodableVector tcb = new ASN1EncodableVector();
            int[] comps = {2, 2, 7, 7, 4, 1, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0};
            for (int i = 0; i < 16; i++) {
                tcb.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                    new ASN1ObjectIdentifier(SGX + ".2." + (i + 1)), new ASN1Integer(comps[i])}));
            }
            tcb.add(new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {
                new ASN1ObjectIdentifier(SGX + ".2.17"), new ASN1Integer(11)}));
            ASN1EncodableVector ext = new ASN1EncodableVector();
            ext.add(pair(SGX + ".1", new DEROctetString(new byte[16])));
            ext.add(pair(SGX + ".2", new DERSequence(tcb)));
            ext.add(pair(SGX + ".3", new DEROctetString(new byte[2])));
            ext.add(pair(SGX + ".4", new DEROctetString(FMSPC)));
            b.addExtension(new ASN1ObjectIdentifier(SGX), false, new DERSequence(ext));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuer)));
    }

    private static DERSequence pair(String oid, org.bouncycastle.asn1.ASN1Encodable v) {
        return new DERSequence(new org.bouncycastle.asn1.ASN1Encodable[] {new ASN1ObjectIdentifier(oid), v});
    }

    /** Description of a synthetic quote. */
    static final class Spec {
        int version = 4;
        int bodyType = 2;
        int attKeyType = 2;
        long teeType = 0x81;
        byte[] teeTcbSvn = {5, 3, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        byte[] tdAttributes = {1, 0, 0, 0x10, 0, 0, 0, 0};
        byte[] mrTd = filled(48, 0x21);
        byte[] mrConfigId = filled(48, 0x31);
        byte[] reportData = filled(64, 0x41);
        byte[] qeAuthData = filled(32, 0x51);
        int trailingZeros = 0;
        byte[][] rtmrs = new byte[4][48];
    }

    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)));
        }
    }

    static byte[] p1363(String alg, PrivateKey k, byte[] data) {
        try {
            Signature s = Signature.getInstance(alg + "inP1363Format");
            s.initSign(k);
            s.update(data);
            return s.sign();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] xy(ECPublicKey k) {
        byte[] out = new byte[64];
        byte[] x = k.getW().getAffineX().toByteArray();
        byte[] y = k.getW().getAffineY().toByteArray();
        int nx = Math.min(32, x.length);
        int ny = Math.min(32, y.length);
        System.arraycopy(x, x.length - nx, out, 32 - nx, nx);
        System.arraycopy(y, y.length - ny, out, 64 - ny, ny);
        return out;
    }

    String pem(X509Certificate c) {
        try {
            return "-----BEGIN CERTIFICATE-----\n" + Base64.getMimeEncoder().encodeToString(c.getEncoded())
                    + "\n-----END CERTIFICATE-----\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    byte[] quote(Spec s) {
        try {
            KeyPair att = p256();
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            le(o, s.version, 2);
            le(o, s.attKeyType, 2);
            le(o, s.teeType, 4);
            o.write(new byte[4]);
            o.write(java.util.HexFormat.of().parseHex("939a7233f79c4ca9940a0db3957f0607"));
            o.write(new byte[20]);
            int bodySize = s.bodyType == 3 ? 648 : 584;
            if (s.version == 5) {
                le(o, s.bodyType, 2);
                le(o, bodySize, 4);
            }
            byte[] body = new byte[bodySize];
            System.arraycopy(s.teeTcbSvn, 0, body, 0, 16);
            System.arraycopy(s.tdAttributes, 0, body, 120, 8);
            System.arraycopy(s.mrTd, 0, body, 136, 48);
            System.arraycopy(s.mrConfigId, 0, body, 184, 48);
            System.arraycopy(s.reportData, 0, body, 520, 64);
            for (int i = 0; i < 4; i++) {
                System.arraycopy(s.rtmrs[i], 0, body, 328 + 48 * i, 48);
            }
            o.write(body);
            byte[] signed = o.toByteArray();

            byte[] attXy = xy((ECPublicKey) att.getPublic());
            byte[] qeReport = new byte[384];
            qeReport[48] = 0x11; // attributes
            qeReport[256] = 2; // isvprodid
            qeReport[258] = 7; // isvsvn
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(attXy);
            md.update(s.qeAuthData);
            System.arraycopy(md.digest(), 0, qeReport, 320, 32);
            byte[] chain = (pem(pck) + pem(ca) + pem(root)).getBytes(StandardCharsets.US_ASCII);

            ByteArrayOutputStream cd = new ByteArrayOutputStream();
            cd.write(qeReport);
            cd.write(p1363("SHA256withECDSA", pckKey.getPrivate(), qeReport));
            le(cd, s.qeAuthData.length, 2);
            cd.write(s.qeAuthData);
            le(cd, 5, 2);
            le(cd, chain.length, 4);
            cd.write(chain);
            byte[] certData = cd.toByteArray();

            ByteArrayOutputStream sig = new ByteArrayOutputStream();
            sig.write(p1363("SHA256withECDSA", att.getPrivate(), signed));
            sig.write(attXy);
            le(sig, 6, 2);
            le(sig, certData.length, 4);
            sig.write(certData);
            byte[] sigData = sig.toByteArray();

            le(o, sigData.length, 4);
            o.write(sigData);
            o.write(new byte[s.trailingZeros]);
            return o.toByteArray();
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
