package io.cocoplane.teeevidence.azure;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.spec.RSAPublicKeySpec;
import java.util.Arrays;
import java.util.Base64;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.Json;
import tools.jackson.databind.JsonNode;

/**
 * An Azure paravisor (HCL) attestation report ({@code kbs-attestation.md} §8): header with magic {@code "HCLA"} (32
 * bytes), the hardware report at 0x20 (SNP: 1184 bytes; TDX: TD report), IGVM request data at 0x4C0
 * (data_size u32, version u32, report_type u32 — 2 SNP, 4 TDX —, hash_type u32 — 1 SHA-256 —, var_data_size u32) and
 * the JSON variable data at 0x4D4 ({@code {"keys":[{"kid":"HCLAkPub","kty":"RSA","n","e"},...],"user-data":"<hex>"}}).
 *
 * @param raw the whole report
 * @param reportType 2 (SNP) or 4 (TDX)
 * @param varData the variable data bytes, hashed with SHA-256 into the hardware report's report_data[0:32]
 */
public record HclReport(byte[] raw, int reportType, byte[] varData) {

    /** Largest HCL report accepted, in bytes. */
    public static final int MAX_SIZE = 16 * 1024;

    /**
     * @param raw HCL report bytes (≤ {@value #MAX_SIZE})
     * @return the parsed report
     * @throws Malformed on a wrong magic (offset 0), unknown report type (0x4C8) or truncated var-data (0x4D0)
     */
    public static HclReport parse(byte[] raw) throws Malformed {
        if (raw.length > MAX_SIZE) {
            throw new Malformed("HCL report larger than " + MAX_SIZE + " bytes", MAX_SIZE);
        }
        if (raw.length < 4 || raw[0] != 'H' || raw[1] != 'C' || raw[2] != 'L' || raw[3] != 'A') {
            throw new Malformed("HCL report does not start with \"HCLA\"", 0);
        }
        long type = Bytes.u32(raw, 0x4C8, "report_type");
        if (type != 2 && type != 4) {
            throw new Malformed("HCL report type " + type + " is neither 2 (SNP) nor 4 (TDX)", 0x4C8);
        }
        long size = Bytes.u32(raw, 0x4D0, "var_data_size");
        if (size > raw.length - 0x4D4) {
            throw new Malformed("var_data_size " + size + " exceeds the report", 0x4D0);
        }
        return new HclReport(raw.clone(), (int) type, Bytes.slice(raw, 0x4D4, (int) size, "var_data"));
    }

    /**
     * @return the 1184-byte SNP report at 0x20
     * @throws Malformed when the report is too short
     */
    public byte[] snpReport() throws Malformed {
        return Bytes.slice(raw, 0x20, 1184, "snp_report");
    }

    /**
     * @return the {@code HCLAkPub} RSA key from the variable data
     * @throws Malformed when the variable data is not JSON or has no usable {@code HCLAkPub}
     */
    public PublicKey attestationKey() throws Malformed {
        JsonNode keys = Json.required(Json.parseObject(varData), "keys");
        for (JsonNode k : keys) {
            if ("HCLAkPub".equals(k.path("kid").asString("")) && "RSA".equals(k.path("kty").asString(""))) {
                try {
                    BigInteger n = new BigInteger(1, Base64.getUrlDecoder().decode(Json.string(k, "n")));
                    BigInteger e = new BigInteger(1, Base64.getUrlDecoder().decode(Json.string(k, "e")));
                    return KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e));
                } catch (java.security.GeneralSecurityException | IllegalArgumentException ex) {
                    throw new Malformed("HCLAkPub is not a valid RSA JWK", -1, ex);
                }
            }
        }
        throw new Malformed("HCL variable data has no HCLAkPub key", -1);
    }

    /**
     * @return the decoded {@code user-data} member (hex, any case), or {@code null} when absent
     * @throws Malformed when it is not hex
     */
    public byte[] userData() throws Malformed {
        JsonNode u = Json.parseObject(varData).get("user-data");
        if (u == null || u.isNull()) {
            return null;
        }
        try {
            return java.util.HexFormat.of().parseHex(u.asString("").toLowerCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Malformed("user-data is not hex", -1, e);
        }
    }

    /** @return a copy of the whole HCL report */
    @Override
    public byte[] raw() {
        return raw.clone();
    }

    /** @return a copy of the variable data JSON bytes */
    @Override
    public byte[] varData() {
        return varData.clone();
    }

    /** Content equality of the byte arrays. */
    @Override
    public boolean equals(Object o) {
        return o instanceof HclReport h && Arrays.equals(raw, h.raw);
    }

    /** @return a hash of the byte array contents */
    @Override
    public int hashCode() {
        return Arrays.hashCode(raw);
    }
}
