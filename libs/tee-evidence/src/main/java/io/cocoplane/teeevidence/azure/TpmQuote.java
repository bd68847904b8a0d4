package io.cocoplane.teeevidence.azure;

import java.io.ByteArrayOutputStream;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PublicKey;
import java.security.Signature;
import java.util.Arrays;
import java.util.List;

import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;

/**
 * A TPM 2.0 quote as Azure CVMs send it: the marshalled {@code TPMS_ATTEST} ({@code message}), the raw RSA signature
 * over it and the 24 SHA-256 PCR values (TPM 2.0 Library Part 2 §10.12.8 TPMS_ATTEST, §10.12.1 TPMS_QUOTE_INFO;
 * {@code kbs-attestation.md} §8). Big-endian: magic u32 (0xFF544347), type u16 (0x8018 = quote), qualifiedSigner
 * (u16 size + name), extraData (u16 size + bytes, the caller's nonce), clockInfo (17 bytes), firmwareVersion u64,
 * pcrSelect (u32 count of {hash u16, sizeofSelect u8, bitmap}), pcrDigest (u16 size + digest).
 *
 * @param message the TPMS_ATTEST bytes
 * @param signature RSASSA-PKCS1-v1_5 SHA-256 signature by the attestation key (256 bytes for RSA-2048)
 * @param pcrs the 24 PCR values of the SHA-256 bank, PCR0 first
 * @param extraData the quote's qualifying data
 * @param pcrDigest the quote's PCR digest
 * @param selectedPcrs the PCR indexes selected (SHA-256 bank), ascending
 */
public record TpmQuote(byte[] message, byte[] signature, List<byte[]> pcrs, byte[] extraData, byte[] pcrDigest,
        List<Integer> selectedPcrs) {

    /** Largest TPMS_ATTEST accepted, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 4096;

    /**
     * @param message TPMS_ATTEST (≤ {@value #MAX_MESSAGE_BYTES})
     * @param signature the signature bytes (≤ 1024)
     * @param pcrs exactly 24 values of 32 bytes
     * @return the parsed quote
     * @throws Malformed on a wrong magic/type, truncation (offset given) or a PCR list of the wrong shape
     */
    public static TpmQuote parse(byte[] message, byte[] signature, List<byte[]> pcrs) throws Malformed {
        if (message.length > MAX_MESSAGE_BYTES || signature.length > 1024) {
            throw new Malformed("TPM quote or signature too large", -1);
        }
        if (pcrs.size() != 24 || pcrs.stream().anyMatch(p -> p.length != 32)) {
            throw new Malformed("expected 24 SHA-256 PCR values", -1);
        }
        int[] p = {0};
        if (u(message, p, 4) != 0xFF544347L) {
            throw new Malformed("TPMS_ATTEST magic is not TPM_GENERATED_VALUE", 0);
        }
        if (u(message, p, 2) != 0x8018) {
            throw new Malformed("TPMS_ATTEST type is not TPM_ST_ATTEST_QUOTE", 4);
        }
        sized(message, p); // qualifiedSigner
        byte[] extra = sized(message, p);
        skip(message, p, 17 + 8); // clockInfo, firmwareVersion
        long count = u(message, p, 4);
        if (count > 16) {
            throw new Malformed("too many PCR selections", p[0] - 4);
        }
        List<Integer> selected = new java.util.ArrayList<>();
        for (int i = 0; i < count; i++) {
            int hash = (int) u(message, p, 2);
            int size = (int) u(message, p, 1);
            byte[] bitmap = take(message, p, size);
            if (hash == 0x000B) { // TPM_ALG_SHA256
                for (int b = 0; b < size * 8 && b < 24; b++) {
                    if ((bitmap[b / 8] >>> (b % 8) & 1) != 0) {
                        selected.add(b);
                    }
                }
            }
        }
        byte[] digest = sized(message, p);
        return new TpmQuote(message.clone(), signature.clone(), List.copyOf(pcrs), extra, digest, List.copyOf(selected));
    }

    private static long u(byte[] b, int[] p, int n) throws Malformed {
        byte[] v = take(b, p, n);
        long r = 0;
        for (byte x : v) {
            r = r << 8 | (x & 0xff);
        }
        return r;
    }

    private static byte[] sized(byte[] b, int[] p) throws Malformed {
        int n = (int) u(b, p, 2);
        return take(b, p, n);
    }

    private static void skip(byte[] b, int[] p, int n) throws Malformed {
        take(b, p, n);
    }

    private static byte[] take(byte[] b, int[] p, int n) throws Malformed {
        if (n < 0 || b.length - p[0] < n) {
            throw new Malformed("TPMS_ATTEST truncated", p[0]);
        }
        byte[] v = Arrays.copyOfRange(b, p[0], p[0] + n);
        p[0] += n;
        return v;
    }

    /**
     * Verifies the quote signature and that {@code pcrDigest == SHA-256(selected PCRs in ascending order)}.
     *
     * @param attestationKey the RSA attestation key (Azure: {@code HCLAkPub})
     * @throws SignatureInvalid {@code tpm_quote_signature} or {@code tpm_pcr_digest}
     */
    public void verify(PublicKey attestationKey) throws SignatureInvalid {
        try {
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initVerify(attestationKey);
            s.update(message);
            if (!s.verify(signature)) {
                throw new SignatureInvalid("tpm_quote_signature", "TPM quote signature does not verify", null);
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new SignatureInvalid("tpm_quote_signature", e.getMessage(), e);
        }
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (int i : selectedPcrs) {
            all.writeBytes(pcrs.get(i));
        }
        try {
            if (!MessageDigest.isEqual(MessageDigest.getInstance("SHA-256").digest(all.toByteArray()), pcrDigest)) {
                throw new SignatureInvalid("tpm_pcr_digest", "SHA-256 of the PCR values is not the quoted digest",
                        null);
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return a copy of the qualifying data */
    @Override
    public byte[] extraData() {
        return extraData.clone();
    }
}
