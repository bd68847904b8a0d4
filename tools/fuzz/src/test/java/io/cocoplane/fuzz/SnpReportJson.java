package io.cocoplane.fuzz;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import io.cocoplane.teeevidence.snp.SnpGeneration;
import io.cocoplane.teeevidence.snp.SnpReport;
import io.cocoplane.teeevidence.snp.TcbVersion;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The encoder that {@code SnpEvidence.parseJson} lacks: a parsed report back to the serde JSON form of
 * {@code sev::AttestationReport} ({@code kbs-attestation.md} §2.3, §6.1), inside the evidence object
 * {@code {"attestation_report": ..., "cert_chain": null}}. Used for the parse∘encode round trip and for seeds.
 */
final class SnpReportJson {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private SnpReportJson() {
    }

    /**
     * @param report a parsed report
     * @return the evidence JSON (UTF-8) whose {@code attestation_report} encodes every named field of the report;
     *         reserved bytes are not represented (the parser writes them as zero)
     */
    static byte[] evidence(SnpReport report) {
        byte[] r = report.toBytes();
        boolean turin = report.generation().orElse(null) == SnpGeneration.TURIN;
        ObjectNode a = MAPPER.createObjectNode();
        a.put("version", u32(r, 0x000));
        a.put("guest_svn", u32(r, 0x004));
        a.put("policy", u64(r, 0x008));
        a.set("family_id", bytes(r, 0x010, 16));
        a.set("image_id", bytes(r, 0x020, 16));
        a.put("vmpl", u32(r, 0x030));
        a.put("sig_algo", u32(r, 0x034));
        a.set("current_tcb", tcb(r, 0x038, turin));
        a.put("plat_info", u64(r, 0x040));
        a.put("key_info", u32(r, 0x048));
        a.set("report_data", bytes(r, 0x050, 64));
        a.set("measurement", bytes(r, 0x090, 48));
        a.set("host_data", bytes(r, 0x0C0, 32));
        a.set("id_key_digest", bytes(r, 0x0E0, 48));
        a.set("author_key_digest", bytes(r, 0x110, 48));
        a.set("report_id", bytes(r, 0x140, 32));
        a.set("report_id_ma", bytes(r, 0x160, 32));
        a.set("reported_tcb", tcb(r, 0x180, turin));
        if (report.version() >= 3) {
            a.put("cpuid_fam_id", r[0x188] & 0xff);
            a.put("cpuid_mod_id", r[0x189] & 0xff);
            a.put("cpuid_step", r[0x18A] & 0xff);
        }
        a.set("chip_id", bytes(r, 0x1A0, 64));
        a.set("committed_tcb", tcb(r, 0x1E0, turin));
        a.set("current", version(r, 0x1E8));
        a.set("committed", version(r, 0x1EC));
        a.set("launch_tcb", tcb(r, 0x1F0, turin));
        if (report.version() >= 5) {
            a.put("launch_mit_vector", u64(r, 0x1F8));
            a.put("current_mit_vector", u64(r, 0x200));
        }
        ObjectNode sig = MAPPER.createObjectNode();
        sig.set("r", bytes(r, SnpReport.SIGNATURE_R_OFFSET, 72));
        sig.set("s", bytes(r, SnpReport.SIGNATURE_S_OFFSET, 72));
        a.set("signature", sig);
        ObjectNode root = MAPPER.createObjectNode();
        root.set("attestation_report", a);
        root.putNull("cert_chain");
        return MAPPER.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    }

    private static long u32(byte[] r, int off) {
        return (r[off] & 0xffL) | (r[off + 1] & 0xffL) << 8 | (r[off + 2] & 0xffL) << 16 | (r[off + 3] & 0xffL) << 24;
    }

    private static BigInteger u64(byte[] r, int off) {
        return new BigInteger(Long.toUnsignedString(u32(r, off) | u32(r, off + 4) << 32));
    }

    private static ArrayNode bytes(byte[] r, int off, int len) {
        ArrayNode n = MAPPER.createArrayNode();
        for (int i = 0; i < len; i++) {
            n.add(r[off + i] & 0xff);
        }
        return n;
    }

    private static ObjectNode tcb(byte[] r, int off, boolean turin) {
        TcbVersion t = TcbVersion.decode(Arrays.copyOfRange(r, off, off + 8), turin);
        ObjectNode n = MAPPER.createObjectNode();
        if (turin) {
            n.put("fmc", t.fmc());
        }
        n.put("bootloader", t.bootloader());
        n.put("tee", t.tee());
        n.put("snp", t.snp());
        n.put("microcode", t.microcode());
        return n;
    }

    private static ObjectNode version(byte[] r, int off) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("build", r[off] & 0xff);
        n.put("minor", r[off + 1] & 0xff);
        n.put("major", r[off + 2] & 0xff);
        return n;
    }
}
