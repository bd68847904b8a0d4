package io.cocoplane.teeevidence.azure;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.Json;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The vTPM steps shared by the Azure SNP and TDX verifiers ({@code kbs-attestation.md} §8). */
final class AzureVtpm {

    private AzureVtpm() {
    }

    /** Evidence version (0 for the legacy byte-array form) and the TPM quote. */
    record Parsed(int version, TpmQuote quote) {
    }

    /**
     * @param root evidence root; v1/v2 carry {@code version} and {@code tpm_quote} (hex), v0 carries {@code quoteMember}
     *        (byte arrays)
     */
    static Parsed quote(JsonNode root, String legacyQuoteMember) throws Malformed {
        if (root.has("tpm_quote") && root.has("version")) {
            int version = (int) Json.unsigned(root, "version", BigInteger.valueOf(2));
            JsonNode q = Json.required(root, "tpm_quote");
            if (q.get("message") != null && q.get("message").isString()) {
                List<byte[]> pcrs = new ArrayList<>();
                for (JsonNode p : pcrArray(q)) {
                    pcrs.add(hex(p.asString("")));
                }
                return new Parsed(version,
                        TpmQuote.parse(hex(Json.string(q, "message")), hex(Json.string(q, "signature")), pcrs));
            }
            return new Parsed(version, byteQuote(q));
        }
        JsonNode q = Json.required(root, root.has(legacyQuoteMember) ? legacyQuoteMember : "tpm_quote");
        return new Parsed(0, byteQuote(q));
    }

    private static TpmQuote byteQuote(JsonNode q) throws Malformed {
        List<byte[]> pcrs = new ArrayList<>();
        for (JsonNode p : pcrArray(q)) {
            pcrs.add(bytes(p, "pcrs[]", 64));
        }
        return TpmQuote.parse(bytes(Json.required(q, "message"), "message", TpmQuote.MAX_MESSAGE_BYTES),
                bytes(Json.required(q, "signature"), "signature", 1024), pcrs);
    }

    private static JsonNode pcrArray(JsonNode q) throws Malformed {
        JsonNode p = Json.required(q, "pcrs");
        if (!p.isArray() || p.size() != 24) {
            throw new Malformed("\"pcrs\" must hold 24 values", -1);
        }
        return p;
    }

    /** A JSON array of byte values, at most {@code max} long. */
    static byte[] bytes(JsonNode n, String name, int max) throws Malformed {
        if (!n.isArray() || n.size() > max) {
            throw new Malformed("\"" + name + "\" must be an array of at most " + max + " bytes", -1);
        }
        JsonNode wrap = JsonNodeFactory.instance.objectNode().set("v", n);
        return Json.byteArray(wrap, "v", n.size());
    }

    static byte[] hex(String s) throws Malformed {
        try {
            return HexFormat.of().parseHex(s.toLowerCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new Malformed("not hex: " + (s.length() > 16 ? s.substring(0, 16) + "…" : s), -1, e);
        }
    }

    static byte[] b64url(String s) throws Malformed {
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new Malformed("not base64url", -1, e);
        }
    }

    static byte[] sha256(byte[] b) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(b);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * TPM signature and PCR digest, TPM nonce, var-data digest in the hardware report_data[0:32], v2 user-data.
     */
    static void checkTpmAndHcl(Parsed p, HclReport hcl, byte[] hwReportData, byte[] nonce)
            throws EvidenceRefusedException {
        p.quote().verify(hcl.attestationKey());
        if (!Bytes.constantTimeEquals(p.quote().extraData(), nonce)) {
            throw new ReportDataMismatch("TPM quote nonce " + Bytes.hex(p.quote().extraData()) + " != "
                    + Bytes.hex(nonce));
        }
        if (!Bytes.constantTimeEquals(Arrays.copyOf(hwReportData, 32), sha256(hcl.varData()))) {
            throw new SignatureInvalid("hcl_var_data", "SHA-256 of the HCL variable data is not in report_data", null);
        }
        if (p.version() >= 2) {
            byte[] user = hcl.userData();
            if (user == null || user.length < nonce.length
                    || !Bytes.constantTimeEquals(Arrays.copyOf(user, nonce.length), nonce)) {
                throw new ReportDataMismatch("HCL user-data does not carry the expected report data");
            }
        }
    }

    /** PCR8 == SHA-256(0^32 ‖ digest); digests other than 32 bytes cannot match (hazard §10.8). */
    static void checkInitData(TpmQuote quote, byte[] init) throws InitDataMismatch {
        if (init == null) {
            return;
        }
        if (init.length != 32) {
            throw new InitDataMismatch("Azure vTPM evidence binds init-data through PCR8 and only a 32-byte (sha256)"
                    + " digest can match; got " + init.length + " bytes");
        }
        byte[] ext = new byte[64];
        System.arraycopy(init, 0, ext, 32, 32);
        byte[] pcr8 = quote.pcrs().get(8);
        if (!Bytes.constantTimeEquals(pcr8, sha256(ext))) {
            throw new InitDataMismatch("PCR8 " + Bytes.hex(pcr8) + " != SHA-256(0^32 || init digest)");
        }
    }

    /** {@code {"pcr00": hex, …, "pcr23": hex}}. */
    static Map<String, Object> pcrClaims(TpmQuote quote) {
        Map<String, Object> tpm = new LinkedHashMap<>();
        for (int i = 0; i < 24; i++) {
            tpm.put(String.format(Locale.ROOT, "pcr%02d", i), Bytes.hex(quote.pcrs().get(i)));
        }
        return tpm;
    }
}
