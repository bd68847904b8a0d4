package io.cocoplane.teeevidence.tdx;

import java.security.cert.X509Certificate;

import org.bouncycastle.asn1.ASN1Encodable;
import org.bouncycastle.asn1.ASN1Enumerated;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1Sequence;

import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * A PCK leaf certificate with its Intel SGX extension decoded (Intel "SGX PCK Certificate and CRL Profile" §1.3.5;
 * {@code kbs-attestation.md} §7.2). Extension {@value #SGX_EXTENSION_OID} is a SEQUENCE of (OID, value) pairs:
 * {@code .1} PPID, {@code .2} TCB (a SEQUENCE with {@code .2.1}…{@code .2.16} SGX TCB component SVNs,
 * {@code .2.17} PCESVN, {@code .2.18} CPUSVN), {@code .3} PCE-ID (2 bytes), {@code .4} FMSPC (6 bytes),
 * {@code .5} SGX type, {@code .6} platform instance id (16 bytes, Platform-CA certificates only).
 *
 * @param certificate the leaf
 * @param sgxTcbComponents the 16 SGX TCB component SVNs
 * @param pceSvn the PCESVN
 * @param pceId the PCE-ID (2 bytes)
 * @param fmspc the FMSPC (6 bytes)
 * @param platformInstanceId the platform instance id, or {@code null}
 */
public record PckCertificate(X509Certificate certificate, int[] sgxTcbComponents, int pceSvn, byte[] pceId,
        byte[] fmspc, byte[] platformInstanceId) {

    /** Intel SGX extension OID. */
    public static final String SGX_EXTENSION_OID = "1.2.840.113741.1.13.1";

    /**
     * @param cert the PCK leaf
     * @return the decoded certificate
     * @throws Malformed when the SGX extension is absent or not shaped as specified (offset -1)
     */
    public static PckCertificate of(X509Certificate cert) throws Malformed {
        byte[] ext = cert.getExtensionValue(SGX_EXTENSION_OID);
        if (ext == null) {
            throw new Malformed("PCK certificate has no SGX extension " + SGX_EXTENSION_OID, -1);
        }
        try {
            ASN1Sequence seq = ASN1Sequence.getInstance(
                    ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(ext).getOctets()));
            int[] comps = null;
            int pceSvn = -1;
            byte[] pceId = null;
            byte[] fmspc = null;
            byte[] pii = null;
            for (ASN1Encodable e : seq) {
                ASN1Sequence pair = ASN1Sequence.getInstance(e);
                String oid = ASN1ObjectIdentifier.getInstance(pair.getObjectAt(0)).getId();
                ASN1Encodable v = pair.getObjectAt(1);
                switch (oid.substring(SGX_EXTENSION_OID.length())) {
                    case ".2" -> {
                        comps = new int[16];
                        for (ASN1Encodable t : ASN1Sequence.getInstance(v)) {
                            ASN1Sequence tp = ASN1Sequence.getInstance(t);
                            String toid = ASN1ObjectIdentifier.getInstance(tp.getObjectAt(0)).getId();
                            int idx = Integer.parseInt(toid.substring(toid.lastIndexOf('.') + 1));
                            if (idx >= 1 && idx <= 16) {
                                comps[idx - 1] = small(tp.getObjectAt(1));
                            } else if (idx == 17) {
                                pceSvn = small(tp.getObjectAt(1));
                            }
                        }
                    }
                    case ".3" -> pceId = ASN1OctetString.getInstance(v).getOctets();
                    case ".4" -> fmspc = ASN1OctetString.getInstance(v).getOctets();
                    case ".6" -> pii = ASN1OctetString.getInstance(v).getOctets();
                    default -> {
                        // PPID, SGX type, configuration: not used
                    }
                }
            }
            if (comps == null || pceSvn < 0 || fmspc == null || fmspc.length != 6 || pceId == null) {
                throw new Malformed("SGX extension lacks TCB, PCESVN, PCE-ID or FMSPC", -1);
            }
            return new PckCertificate(cert, comps, pceSvn, pceId, fmspc, pii);
        } catch (java.io.IOException | RuntimeException e) {
            throw new Malformed("SGX extension is not valid DER: " + e.getMessage(), -1, e);
        }
    }

    private static int small(ASN1Encodable v) {
        java.math.BigInteger b = v instanceof ASN1Enumerated en ? en.getValue() : ASN1Integer.getInstance(v).getValue();
        if (b.signum() < 0 || b.bitLength() > 16) {
            throw new IllegalArgumentException("SVN out of range: " + b);
        }
        return b.intValue();
    }

    /** @return a copy of the 16 SGX TCB component SVNs */
    @Override
    public int[] sgxTcbComponents() {
        return sgxTcbComponents.clone();
    }

    /** @return a copy of the FMSPC */
    @Override
    public byte[] fmspc() {
        return fmspc.clone();
    }
}
