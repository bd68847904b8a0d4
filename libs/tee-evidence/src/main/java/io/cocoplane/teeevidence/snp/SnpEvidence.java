package io.cocoplane.teeevidence.snp;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.Json;
import tools.jackson.databind.JsonNode;

/**
 * The {@code snp} primary evidence ({@code kbs-attestation.md} §2.3): either the JSON
 * {@code {"attestation_report": <serde form of sev::AttestationReport>, "cert_chain": null | [{"cert_type", "data"}]}}
 * or a raw {@value SnpReport#SIZE}-byte report.
 *
 * <p>The JSON form is re-encoded to the firmware byte layout (§6.1, reserved bytes zero) exactly like sev's
 * {@code to_bytes()}, because that is what trustee hashes (§6.2). Byte arrays are JSON arrays of numbers, TCBs are
 * {@code {"fmc","bootloader","tee","snp","microcode"}}, versions {@code {"major","minor","build"}}, the signature
 * {@code {"r":[72 bytes],"s":[72 bytes]}}. Certificate entries are kept as DER with their {@code cert_type}
 * ({@code "ARK"}, {@code "ASK"}, {@code "ASVK"}, {@code "VCEK"}, {@code "VLEK"}; others are ignored).
 *
 * @param report the report
 * @param certChain the certificates from the evidence, empty when {@code cert_chain} was null/absent or for a raw report
 */
public record SnpEvidence(SnpReport report, List<CertEntry> certChain) {

    /** Most certificate entries accepted in {@code cert_chain}. */
    public static final int MAX_CERTS = 8;
    /** Largest DER certificate accepted, in bytes. */
    public static final int MAX_CERT_BYTES = 16 * 1024;

    private static final BigInteger U8 = BigInteger.valueOf(0xff);
    private static final BigInteger U32 = BigInteger.valueOf(0xffffffffL);
    private static final BigInteger U64 = BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE);

    /**
     * One {@code cert_chain} entry.
     *
     * @param certType the kbs-types cert type, e.g. {@code "VCEK"}
     * @param der the certificate DER
     */
    public record CertEntry(String certType, byte[] der) {
        /** Copies the array. */
        public CertEntry {
            der = der.clone();
        }

        /** @return a copy of the DER bytes */
        @Override
        public byte[] der() {
            return der.clone();
        }
    }

    /** Copies the chain. */
    public SnpEvidence {
        certChain = List.copyOf(certChain);
    }

    /**
     * Parses either form: input starting (after whitespace) with {@code '{'} is JSON, anything else must be a raw report.
     *
     * @param evidence the evidence bytes (≤ {@link io.cocoplane.teeevidence.EvidenceVerifier#MAX_EVIDENCE_BYTES})
     * @return the parsed evidence
     * @throws Malformed on any structural error (offset for raw reports, -1 for JSON members)
     */
    public static SnpEvidence parse(byte[] evidence) throws Malformed {
        for (byte b : evidence) {
            if (b == ' ' || b == '\n' || b == '\r' || b == '\t') {
                continue;
            }
            if (b == '{') {
                return parseJson(evidence);
            }
            break;
        }
        return new SnpEvidence(SnpReport.parse(evidence), List.of());
    }

    /**
     * Parses the JSON form.
     *
     * @param json UTF-8 JSON
     * @return the evidence with the report re-encoded to bytes
     * @throws Malformed when a member is missing, of the wrong type or out of range
     */
    public static SnpEvidence parseJson(byte[] json) throws Malformed {
        JsonNode root = Json.parseObject(json);
        JsonNode r = Json.required(root, "attestation_report");
        if (!r.isObject()) {
            throw new Malformed("\"attestation_report\" must be an object", -1);
        }
        byte[] report = encodeReport(r);
        List<CertEntry> chain = new ArrayList<>();
        JsonNode cc = root.get("cert_chain");
        if (cc != null && !cc.isNull()) {
            if (!cc.isArray() || cc.size() > MAX_CERTS) {
                throw new Malformed("\"cert_chain\" must be null or an array of at most " + MAX_CERTS + " entries", -1);
            }
            for (JsonNode e : cc) {
                if (!e.isObject()) {
                    throw new Malformed("\"cert_chain\" entries must be objects", -1);
                }
                JsonNode t = Json.required(e, "cert_type");
                if (!t.isString()) {
                    continue; // {"OTHER": "<uuid>"} entries are not used for verification
                }
                JsonNode d = Json.required(e, "data");
                if (!d.isArray() || d.size() > MAX_CERT_BYTES) {
                    throw new Malformed("\"cert_chain[].data\" must be an array of at most " + MAX_CERT_BYTES
                            + " bytes", -1);
                }
                chain.add(new CertEntry(t.stringValue(), Json.byteArray(e, "data", d.size())));
            }
        }
        return new SnpEvidence(SnpReport.parse(report), chain);
    }

    private static byte[] encodeReport(JsonNode r) throws Malformed {
        byte[] b = new byte[SnpReport.SIZE];
        long version = Json.unsigned(r, "version", U32);
        putU32(b, 0x000, version);
        putU32(b, 0x004, Json.unsigned(r, "guest_svn", U32));
        putU64(b, 0x008, Json.unsigned(r, "policy", U64));
        put(b, 0x010, Json.byteArray(r, "family_id", 16));
        put(b, 0x020, Json.byteArray(r, "image_id", 16));
        putU32(b, 0x030, Json.unsigned(r, "vmpl", U32));
        putU32(b, 0x034, Json.unsigned(r, "sig_algo", U32));
        putU64(b, 0x040, Json.unsigned(r, "plat_info", U64));
        putU32(b, 0x048, Json.unsigned(r, "key_info", U32));
        put(b, 0x050, Json.byteArray(r, "report_data", 64));
        put(b, 0x090, Json.byteArray(r, "measurement", 48));
        put(b, 0x0C0, Json.byteArray(r, "host_data", 32));
        put(b, 0x0E0, Json.byteArray(r, "id_key_digest", 48));
        put(b, 0x110, Json.byteArray(r, "author_key_digest", 48));
        put(b, 0x140, Json.byteArray(r, "report_id", 32));
        put(b, 0x160, Json.byteArray(r, "report_id_ma", 32));
        byte[] chip = Json.byteArray(r, "chip_id", 64);
        put(b, 0x1A0, chip);
        boolean turin;
        if (version >= 3) {
            int fam = (int) Json.unsigned(r, "cpuid_fam_id", U8);
            int mod = (int) Json.unsigned(r, "cpuid_mod_id", U8);
            b[0x188] = (byte) fam;
            b[0x189] = (byte) mod;
            b[0x18A] = (byte) Json.unsigned(r, "cpuid_step", U8);
            turin = SnpGeneration.fromCpuid(fam, mod).orElse(null) == SnpGeneration.TURIN;
        } else {
            turin = !io.cocoplane.teeevidence.Bytes.isZero(chip)
                    && io.cocoplane.teeevidence.Bytes.isZero(java.util.Arrays.copyOfRange(chip, 8, 64));
        }
        put(b, 0x038, tcb(r, "current_tcb", turin));
        put(b, 0x180, tcb(r, "reported_tcb", turin));
        put(b, 0x1E0, tcb(r, "committed_tcb", turin));
        put(b, 0x1F0, tcb(r, "launch_tcb", turin));
        putVersion(b, 0x1E8, Json.required(r, "current"));
        putVersion(b, 0x1EC, Json.required(r, "committed"));
        if (version >= 5) {
            putU64(b, 0x1F8, optionalU64(r, "launch_mit_vector"));
            putU64(b, 0x200, optionalU64(r, "current_mit_vector"));
        }
        JsonNode sig = Json.required(r, "signature");
        if (!sig.isObject()) {
            throw new Malformed("\"signature\" must be an object", -1);
        }
        put(b, SnpReport.SIGNATURE_R_OFFSET, Json.byteArray(sig, "r", 72));
        put(b, SnpReport.SIGNATURE_S_OFFSET, Json.byteArray(sig, "s", 72));
        return b;
    }

    private static long optionalU64(JsonNode r, String name) throws Malformed {
        JsonNode n = r.get(name);
        return n == null || n.isNull() ? 0 : Json.unsigned(r, name, U64);
    }

    private static byte[] tcb(JsonNode r, String name, boolean turin) throws Malformed {
        JsonNode t = Json.required(r, name);
        if (!t.isObject()) {
            throw new Malformed("\"" + name + "\" must be an object", -1);
        }
        JsonNode fmcNode = t.get("fmc");
        Integer fmc = fmcNode == null || fmcNode.isNull() ? null : (int) Json.unsigned(t, "fmc", U8);
        return new TcbVersion(fmc, (int) Json.unsigned(t, "bootloader", U8), (int) Json.unsigned(t, "tee", U8),
                (int) Json.unsigned(t, "snp", U8), (int) Json.unsigned(t, "microcode", U8)).encode(turin);
    }

    private static void putVersion(byte[] b, int off, JsonNode v) throws Malformed {
        if (!v.isObject()) {
            throw new Malformed("firmware version must be an object", -1);
        }
        b[off] = (byte) Json.unsigned(v, "build", U8);
        b[off + 1] = (byte) Json.unsigned(v, "minor", U8);
        b[off + 2] = (byte) Json.unsigned(v, "major", U8);
    }

    private static void put(byte[] b, int off, byte[] v) {
        System.arraycopy(v, 0, b, off, v.length);
    }

    private static void putU32(byte[] b, int off, long v) {
        for (int i = 0; i < 4; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    private static void putU64(byte[] b, int off, long v) {
        for (int i = 0; i < 8; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /**
     * @param type a cert type, e.g. {@code "VCEK"}
     * @return the first entry of that type
     */
    public Optional<CertEntry> first(String type) {
        return certChain.stream().filter(c -> c.certType().equals(type)).findFirst();
    }
}
