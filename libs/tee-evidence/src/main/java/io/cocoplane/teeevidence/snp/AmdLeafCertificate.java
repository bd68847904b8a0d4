package io.cocoplane.teeevidence.snp;

import java.security.cert.X509Certificate;


import org.bouncycastle.asn1.ASN1IA5String;
import org.bouncycastle.asn1.ASN1Integer;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.ASN1Primitive;
import org.bouncycastle.asn1.ASN1String;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * A VCEK or VLEK certificate with its AMD extensions decoded ({@code kbs-attestation.md} §6.3; AMD "Versioned Chip
 * Endorsement Key (VCEK) Certificate and KDS Interface Specification" §3.2). OID arc {@value #AMD_ARC}: {@code .1}
 * structVersion, {@code .2} productName (IA5String), {@code .3.1} blSPL, {@code .3.2} teeSPL, {@code .3.3} snpSPL,
 * {@code .3.8} ucodeSPL, {@code .3.9} fmcSPL (DER INTEGERs), {@code .4} hwID (raw bytes or DER OCTET STRING, VCEK
 * only), {@code .5} csp_id (VLEK only).
 *
 * @param certificate the certificate
 * @param type VCEK or VLEK, from the subject CN ({@code SEV-VCEK}/{@code SEV-VLEK}; bare {@code VCEK}/{@code VLEK}
 *        also accepted)
 * @param productName productName extension, or {@code null}
 * @param tcb the SPL extensions as a TCB ({@code fmc} null when absent); a missing SPL extension is {@code -1}
 * @param hwId hwID extension bytes (unwrapped), or {@code null}
 * @param cspId csp_id extension string, or {@code null}
 */
public record AmdLeafCertificate(X509Certificate certificate, LeafType type, String productName, TcbVersion tcb,
        byte[] hwId, String cspId) {

    /** AMD's OID arc for VCEK/VLEK extensions. */
    public static final String AMD_ARC = "1.3.6.1.4.1.3704.1";

    /** Leaf kinds. */
    public enum LeafType {
        /** Versioned Chip Endorsement Key: per chip and TCB, carries hwID. */
        VCEK,
        /** Versioned Loaded Endorsement Key: per cloud provider, carries csp_id. */
        VLEK
    }

    /**
     * @param cert a leaf certificate
     * @return the decoded leaf
     * @throws Malformed when the CN names neither VCEK nor VLEK, or an extension is not the expected ASN.1 type
     */
    public static AmdLeafCertificate of(X509Certificate cert) throws Malformed {
        String cn = Certificates.commonName(cert);
        LeafType type;
        if (cn.equals("SEV-VCEK") || cn.equals("VCEK")) {
            type = LeafType.VCEK;
        } else if (cn.equals("SEV-VLEK") || cn.equals("VLEK")) {
            type = LeafType.VLEK;
        } else {
            throw new Malformed("leaf certificate CN \"" + cn + "\" is neither SEV-VCEK nor SEV-VLEK", -1);
        }
        String product = string(cert, AMD_ARC + ".2");
        Integer fmc = cert.getExtensionValue(AMD_ARC + ".3.9") == null ? null : spl(cert, AMD_ARC + ".3.9");
        TcbVersion tcb = new TcbVersion(fmc, spl(cert, AMD_ARC + ".3.1"), spl(cert, AMD_ARC + ".3.2"),
                spl(cert, AMD_ARC + ".3.3"), spl(cert, AMD_ARC + ".3.8"));
        byte[] hw = hwId(cert);
        String csp = string(cert, AMD_ARC + ".5");
        return new AmdLeafCertificate(cert, type, product, tcb, hw, csp);
    }

    private static ASN1Primitive ext(X509Certificate cert, String oid) throws Malformed {
        byte[] v = cert.getExtensionValue(oid);
        if (v == null) {
            return null;
        }
        try {
            return ASN1Primitive.fromByteArray(ASN1OctetString.getInstance(v).getOctets());
        } catch (java.io.IOException | RuntimeException e) {
            throw new Malformed("extension " + oid + " is not DER", -1, e);
        }
    }

    private static int spl(X509Certificate cert, String oid) throws Malformed {
        ASN1Primitive p = ext(cert, oid);
        if (p == null) {
            return -1;
        }
        if (!(p instanceof ASN1Integer i) || i.getValue().signum() < 0 || i.getValue().bitLength() > 8) {
            throw new Malformed("extension " + oid + " must be an INTEGER 0..255", -1);
        }
        return i.getValue().intValue();
    }

    private static String string(X509Certificate cert, String oid) throws Malformed {
        ASN1Primitive p = ext(cert, oid);
        if (p == null) {
            return null;
        }
        if (p instanceof ASN1IA5String s) {
            return s.getString();
        }
        if (p instanceof ASN1String s) {
            return s.getString();
        }
        throw new Malformed("extension " + oid + " must be a string", -1);
    }

    private static byte[] hwId(X509Certificate cert) throws Malformed {
        byte[] v = cert.getExtensionValue(AMD_ARC + ".4");
        if (v == null) {
            return null;
        }
        byte[] octets;
        try {
            octets = ASN1OctetString.getInstance(v).getOctets();
        } catch (RuntimeException e) {
            throw new Malformed("hwID extension is not an OCTET STRING", -1, e);
        }
        // Either the raw hwID, or the hwID wrapped once more as a DER OCTET STRING (04 40 ... / 04 08 ...)
        if (octets.length >= 2 && octets[0] == 0x04 && (octets[1] & 0xff) == octets.length - 2) {
            return java.util.Arrays.copyOfRange(octets, 2, octets.length);
        }
        return octets;
    }

    /** @return a copy of the hwID, or {@code null} */
    @Override
    public byte[] hwId() {
        return hwId == null ? null : hwId.clone();
    }
}
