package io.cocoplane.teeevidence.tdx;

import java.util.Arrays;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * A parsed Intel TDX ECDSA quote, version 4 or 5 (Intel TDX DCAP Quote Generation Library and Quote Verification
 * Library API, appendix "Quote Format"; {@code kbs-attestation.md} §7.1). Little-endian.
 *
 * <p>Header (48 bytes): version u16 @0, att_key_type u16 @2, tee_type u32 @4, reserved 4 @8, qe_vendor_id 16 @12,
 * user_data 20 @28. v4: TD report body (584 bytes, TDX 1.0) @48. v5: body descriptor type u16 @48 (2 = TDX 1.0, 584
 * bytes; 3 = TDX 1.5, 648 bytes), size u32 @50, body @54. Then signature_data_len u32 and the signature data:
 * ECDSA P-256 signature r‖s (64, big-endian) over SHA-256 of everything before signature_data_len; attestation
 * public key x‖y (64); certification data type u16 (must be 6, QE report certification data) and size u32; inside:
 * QE report (384-byte SGX report body), QE report signature (64), QE authentication data (u16 length + bytes),
 * inner certification data type u16 (must be 5, PCK certificate chain) and size u32, then the PEM chain. Bytes after
 * the signature data (zero padding in real quotes) are ignored.
 */
public final class TdxQuote {

    /** Largest quote accepted, in bytes. */
    public static final int MAX_SIZE = 64 * 1024;
    /** Header size. */
    public static final int HEADER_SIZE = 48;
    /** TD report body size for TDX 1.0. */
    public static final int BODY_SIZE_1_0 = 584;
    /** TD report body size for TDX 1.5. */
    public static final int BODY_SIZE_1_5 = 648;
    /** SGX report body (QE report) size. */
    public static final int QE_REPORT_SIZE = 384;

    private final byte[] raw;
    private final int version;
    private final int bodyType;
    private final int bodyOffset;
    private final int bodySize;
    private final int signedLength;
    private final byte[] signature;
    private final byte[] attestationKey;
    private final byte[] qeReport;
    private final byte[] qeReportSignature;
    private final byte[] qeAuthData;
    private final byte[] pckChainPem;

    private TdxQuote(byte[] raw, int version, int bodyType, int bodyOffset, int bodySize, int signedLength,
            byte[] signature, byte[] attestationKey, byte[] qeReport, byte[] qeReportSignature, byte[] qeAuthData,
            byte[] pckChainPem) {
        this.raw = raw;
        this.version = version;
        this.bodyType = bodyType;
        this.bodyOffset = bodyOffset;
        this.bodySize = bodySize;
        this.signedLength = signedLength;
        this.signature = signature;
        this.attestationKey = attestationKey;
        this.qeReport = qeReport;
        this.qeReportSignature = qeReportSignature;
        this.qeAuthData = qeAuthData;
        this.pckChainPem = pckChainPem;
    }

    /**
     * @param quote the quote bytes (≤ {@value #MAX_SIZE})
     * @return the parsed quote
     * @throws Malformed with the offset of the first field that is truncated or has an unsupported value (version,
     *         body type/size, certification data type)
     */
    public static TdxQuote parse(byte[] quote) throws Malformed {
        if (quote.length > MAX_SIZE) {
            throw new Malformed("quote larger than " + MAX_SIZE + " bytes", MAX_SIZE);
        }
        byte[] q = quote.clone();
        int version = Bytes.u16(q, 0, "version");
        int bodyType;
        int bodyOffset;
        int bodySize;
        if (version == 4) {
            bodyType = 2;
            bodyOffset = HEADER_SIZE;
            bodySize = BODY_SIZE_1_0;
        } else if (version == 5) {
            bodyType = Bytes.u16(q, 48, "body.type");
            long size = Bytes.u32(q, 50, "body.size");
            bodyOffset = 54;
            if (bodyType == 2 && size == BODY_SIZE_1_0) {
                bodySize = BODY_SIZE_1_0;
            } else if (bodyType == 3 && size == BODY_SIZE_1_5) {
                bodySize = BODY_SIZE_1_5;
            } else {
                throw new Malformed("unsupported v5 body type " + bodyType + " / size " + size, 48);
            }
        } else {
            throw new Malformed("unsupported quote version " + version + " (4 or 5)", 0);
        }
        Bytes.slice(q, bodyOffset, bodySize, "td_report_body");
        int p = bodyOffset + bodySize;
        int signedLength = p;
        long sigLen = Bytes.u32(q, p, "signature_data_len");
        p += 4;
        if (sigLen > q.length - p) {
            throw new Malformed("signature_data_len " + sigLen + " exceeds the quote", p - 4);
        }
        int sigEnd = p + (int) sigLen;
        byte[] sigData = Arrays.copyOf(q, sigEnd); // reads below are bounded by the signature data
        byte[] signature = Bytes.slice(sigData, p, 64, "signature");
        byte[] attKey = Bytes.slice(sigData, p + 64, 64, "attestation_key");
        int cdOff = p + 128;
        int cdType = Bytes.u16(sigData, cdOff, "certification_data.type");
        long cdSize = Bytes.u32(sigData, cdOff + 2, "certification_data.size");
        if (cdType != 6) {
            throw new Malformed("certification data type " + cdType + " is not 6 (QE report)", cdOff);
        }
        int c = cdOff + 6;
        if (cdSize > sigEnd - c) {
            throw new Malformed("certification data size " + cdSize + " exceeds the signature data", cdOff + 2);
        }
        byte[] cd = Arrays.copyOf(sigData, c + (int) cdSize);
        byte[] qeReport = Bytes.slice(cd, c, QE_REPORT_SIZE, "qe_report");
        byte[] qeSig = Bytes.slice(cd, c + QE_REPORT_SIZE, 64, "qe_report_signature");
        int authOff = c + QE_REPORT_SIZE + 64;
        int authLen = Bytes.u16(cd, authOff, "qe_auth_data.size");
        byte[] auth = Bytes.slice(cd, authOff + 2, authLen, "qe_auth_data");
        int innerOff = authOff + 2 + authLen;
        int innerType = Bytes.u16(cd, innerOff, "pck_cert_chain.type");
        long innerSize = Bytes.u32(cd, innerOff + 2, "pck_cert_chain.size");
        if (innerType != 5) {
            throw new Malformed("inner certification data type " + innerType + " is not 5 (PCK chain)", innerOff);
        }
        if (innerSize > cd.length - (innerOff + 6)) {
            throw new Malformed("PCK chain size " + innerSize + " exceeds the certification data", innerOff + 2);
        }
        byte[] pem = Bytes.slice(cd, innerOff + 6, (int) innerSize, "pck_cert_chain");
        return new TdxQuote(q, version, bodyType, bodyOffset, bodySize, signedLength, signature, attKey, qeReport,
                qeSig, auth, pem);
    }

    /** @return the quote version, 4 or 5 */
    public int version() {
        return version;
    }

    /** @return the body type: 2 = TDX 1.0 (584-byte body), 3 = TDX 1.5 (648-byte body) */
    public int bodyType() {
        return bodyType;
    }

    /** @return the header (48 bytes) */
    public byte[] header() {
        return Arrays.copyOf(raw, HEADER_SIZE);
    }

    /** @return att_key_type (header @2); 2 = ECDSA-256-with-P-256 */
    public int attestationKeyType() {
        return (raw[2] & 0xff) | (raw[3] & 0xff) << 8;
    }

    /** @return tee_type (header @4); 0x81 = TDX */
    public long teeType() {
        return (raw[4] & 0xffL) | (raw[5] & 0xffL) << 8 | (raw[6] & 0xffL) << 16 | (raw[7] & 0xffL) << 24;
    }

    /** @return qe_vendor_id (header @12, 16 bytes) */
    public byte[] qeVendorId() {
        return Arrays.copyOfRange(raw, 12, 28);
    }

    /** @return the TD report body (584 or 648 bytes) */
    public byte[] body() {
        return Arrays.copyOfRange(raw, bodyOffset, bodyOffset + bodySize);
    }

    /**
     * @param off offset inside the TD report body
     * @param len length
     * @return the body field
     */
    public byte[] bodyField(int off, int len) {
        return Arrays.copyOfRange(raw, bodyOffset + off, bodyOffset + off + len);
    }

    /** @return the bytes covered by the quote signature: header, v5 body descriptor, body */
    public byte[] signedData() {
        return Arrays.copyOf(raw, signedLength);
    }

    /** @return ECDSA P-256 quote signature r‖s (64 bytes, big-endian) */
    public byte[] signature() {
        return signature.clone();
    }

    /** @return attestation public key x‖y (64 bytes) */
    public byte[] attestationKey() {
        return attestationKey.clone();
    }

    /** @return the QE report (384-byte SGX report body) */
    public byte[] qeReport() {
        return qeReport.clone();
    }

    /** @return the QE report signature r‖s by the PCK key (64 bytes) */
    public byte[] qeReportSignature() {
        return qeReportSignature.clone();
    }

    /** @return the QE authentication data */
    public byte[] qeAuthData() {
        return qeAuthData.clone();
    }

    /** @return the PEM PCK certificate chain (leaf, intermediate, root) */
    public byte[] pckChainPem() {
        return pckChainPem.clone();
    }

    /** @return TD report body: tee_tcb_svn (16 bytes @0) */
    public byte[] teeTcbSvn() {
        return bodyField(0, 16);
    }

    /** @return TD report body: mr_seam (48 @16) */
    public byte[] mrSeam() {
        return bodyField(16, 48);
    }

    /** @return TD report body: mrsigner_seam (48 @64) */
    public byte[] mrSignerSeam() {
        return bodyField(64, 48);
    }

    /** @return TD report body: seam_attributes (8 @112) */
    public byte[] seamAttributes() {
        return bodyField(112, 8);
    }

    /** @return TD report body: td_attributes (8 @120) */
    public byte[] tdAttributes() {
        return bodyField(120, 8);
    }

    /** @return TD report body: mr_td (48 @136) */
    public byte[] mrTd() {
        return bodyField(136, 48);
    }

    /** @return TD report body: mr_config_id (48 @184), where CoCo binds the init-data digest */
    public byte[] mrConfigId() {
        return bodyField(184, 48);
    }

    /** @return TD report body: report_data (64 @520) */
    public byte[] reportData() {
        return bodyField(520, 64);
    }

    /**
     * @param index 0…3
     * @return TD report body: rtmr_{index} (48 bytes @328 + 48·index)
     */
    public byte[] rtmr(int index) {
        if (index < 0 || index > 3) {
            throw new IllegalArgumentException("RTMR index 0..3");
        }
        return bodyField(328 + 48 * index, 48);
    }
}
