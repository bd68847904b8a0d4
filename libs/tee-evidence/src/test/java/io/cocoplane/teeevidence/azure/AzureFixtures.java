package io.cocoplane.teeevidence.azure;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;

import io.cocoplane.teeevidence.snp.SnpFixtures;

/**
 * Synthetic {@code az-snp-vtpm} evidence (version 2 form): an HCL report carrying an SNP report signed by a
 * {@link SnpFixtures} VCEK, whose report_data binds the HCL variable data, which holds the RSA attestation key
 * ({@code HCLAkPub}) that signs a TPM2 quote over 24 SHA-256 PCRs with the given {@code extraData}.
 *
 * <p>Shared through this library's test-jar (e.g. the attestation service's hazard-8 test).
 */
public final class AzureFixtures {

    static final HexFormat HEX = HexFormat.of();
    static final KeyPair AK = rsa();

    private final SnpFixtures.Report spec;
    private final SnpFixtures.Leaf vcek;
    /** The 24 PCR values quoted (PCR i = 32 bytes of value i); callers may replace entries before {@link #evidence}. */
    public final byte[][] pcrs = new byte[24][];

    /**
     * @param spec the SNP report description (its report_data is overwritten with the HCL binding)
     * @param vcek the VCEK that signs the SNP report
     */
    public AzureFixtures(SnpFixtures.Report spec, SnpFixtures.Leaf vcek) {
        this.spec = spec;
        this.vcek = vcek;
        for (int i = 0; i < 24; i++) {
            pcrs[i] = SnpFixtures.filled(32, i);
        }
    }

    /** @return the HCL {@code user-data} member for a nonce: uppercase hex, zero-padded to 64 bytes */
    public static String userData(byte[] nonce) {
        return HEX.formatHex(Arrays.copyOf(nonce, 64)).toUpperCase();
    }

    /** @return SHA-256 of {@code b} */
    public static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair rsa() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String b64u(BigInteger v) {
        byte[] b = v.toByteArray();
        if (b[0] == 0) {
            b = Arrays.copyOfRange(b, 1, b.length);
        }
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    static void be(ByteArrayOutputStream o, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            o.write((int) (v >>> (8 * i)));
        }
    }

    /** TPMS_ATTEST quoting all 24 SHA-256 PCRs with {@code extraData}. */
    byte[] attest(byte[] extraData) throws Exception {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        be(o, 0xFF544347L, 4);
        be(o, 0x8018, 2);
        be(o, 2, 2);
        o.write(new byte[] {0, 0x0b});
        be(o, extraData.length, 2);
        o.write(extraData);
        o.write(new byte[17 + 8]);
        be(o, 1, 4);
        be(o, 0x000B, 2);
        o.write(3);
        o.write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] p : pcrs) {
            all.write(p);
        }
        be(o, 32, 2);
        o.write(sha256(all.toByteArray()));
        return o.toByteArray();
    }

    /**
     * @param nonceInQuote the TPM quote's {@code extraData}
     * @param userData the HCL variable data's {@code user-data}
     * @param tamperVarData flip a bit of the variable data after the SNP report bound it
     * @return the evidence JSON
     */
    public String evidence(byte[] nonceInQuote, String userData, boolean tamperVarData) throws Exception {
        RSAPublicKey ak = (RSAPublicKey) AK.getPublic();
        String varData = "{\"keys\":[{\"kid\":\"HCLAkPub\",\"key_ops\":[\"sign\"],\"kty\":\"RSA\",\"e\":\""
                + b64u(ak.getPublicExponent()) + "\",\"n\":\"" + b64u(ak.getModulus()) + "\"}],\"user-data\":\""
                + userData + "\"}";
        byte[] var = varData.getBytes(StandardCharsets.UTF_8);
        spec.reportData = Arrays.copyOf(sha256(var), 64);
        byte[] report = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        byte[] hcl = new byte[0x4D4 + var.length];
        hcl[0] = 'H';
        hcl[1] = 'C';
        hcl[2] = 'L';
        hcl[3] = 'A';
        System.arraycopy(report, 0, hcl, 0x20, report.length);
        int[] igvm = {20 + var.length, 1, 2, 1, var.length};
        for (int i = 0; i < 5; i++) {
            for (int b = 0; b < 4; b++) {
                hcl[0x4C0 + 4 * i + b] = (byte) (igvm[i] >>> (8 * b));
            }
        }
        System.arraycopy(var, 0, hcl, 0x4D4, var.length);
        if (tamperVarData) {
            hcl[hcl.length - 3] ^= 1;
        }
        byte[] msg = attest(nonceInQuote);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(AK.getPrivate());
        s.update(msg);
        StringBuilder p = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            p.append(i == 0 ? "" : ",").append('"').append(HEX.formatHex(pcrs[i])).append('"');
        }
        return "{\"version\":2,\"tpm_quote\":{\"signature\":\"" + HEX.formatHex(s.sign()) + "\",\"message\":\""
                + HEX.formatHex(msg) + "\",\"pcrs\":[" + p + "]},\"hcl_report\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(hcl) + "\",\"vcek\":\""
                + Base64.getUrlEncoder().withoutPadding().encodeToString(vcek.cert().getEncoded()) + "\"}";
    }
}
