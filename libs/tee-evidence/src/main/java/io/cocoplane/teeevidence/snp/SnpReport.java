package io.cocoplane.teeevidence.snp;

import java.util.Arrays;
import java.util.Optional;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;

/**
 * A parsed SEV-SNP attestation report (ATTESTATION_REPORT, AMD SEV-SNP ABI spec table 23; {@code kbs-attestation.md}
 * §6.1). The report is exactly {@value #SIZE} bytes, little-endian; versions 2 to 5 are parsed.
 *
 * <p>Offsets: version 0x000 (u32), guest_svn 0x004, policy 0x008 (u64), family_id 0x010 (16), image_id 0x020 (16),
 * vmpl 0x030, signature_algo 0x034, current_tcb 0x038, platform_info 0x040 (u64), key_info 0x048, report_data 0x050
 * (64), measurement 0x090 (48), host_data 0x0C0 (32), id_key_digest 0x0E0 (48), author_key_digest 0x110 (48),
 * report_id 0x140 (32), report_id_ma 0x160 (32), reported_tcb 0x180, cpuid fam/mod/step 0x188–0x18A (v3+),
 * chip_id 0x1A0 (64), committed_tcb 0x1E0, current build/minor/major 0x1E8–0x1EA, committed build/minor/major
 * 0x1EC–0x1EE, launch_tcb 0x1F0, launch/current mit vector 0x1F8/0x200 (v5), signature R 0x2A0 (72), S 0x2E8 (72).
 * The signed part is {@code [0x000, 0x2A0)}.
 */
public final class SnpReport {

    /** Report size in bytes. */
    public static final int SIZE = 1184;
    /** End (exclusive) of the signed part: the signature covers bytes {@code [0, 0x2A0)}. */
    public static final int SIGNED_LENGTH = 0x2A0;
    /** Offset of the 72-byte little-endian signature R field. */
    public static final int SIGNATURE_R_OFFSET = 0x2A0;
    /** Offset of the 72-byte little-endian signature S field. */
    public static final int SIGNATURE_S_OFFSET = 0x2E8;
    /** Lowest parsed report version. */
    public static final int MIN_PARSED_VERSION = 2;
    /** Highest parsed report version. */
    public static final int MAX_PARSED_VERSION = 5;

    /** key_info.signing_key value for a VCEK-signed report. */
    public static final int SIGNING_KEY_VCEK = 0;
    /** key_info.signing_key value for a VLEK-signed report. */
    public static final int SIGNING_KEY_VLEK = 1;

    private final byte[] raw;
    private final int version;
    private final Optional<SnpGeneration> generation;

    private SnpReport(byte[] raw, int version, Optional<SnpGeneration> generation) {
        this.raw = raw;
        this.version = version;
        this.generation = generation;
    }

    /**
     * Parses a raw report.
     *
     * @param raw exactly {@value #SIZE} bytes
     * @return the parsed report (the array is copied)
     * @throws Malformed when the length is wrong (offset = the length) or the version is outside 2…5 (offset 0)
     */
    public static SnpReport parse(byte[] raw) throws Malformed {
        if (raw.length != SIZE) {
            throw new Malformed("an SNP report is " + SIZE + " bytes, got " + raw.length, Math.min(raw.length, SIZE));
        }
        byte[] copy = raw.clone();
        long v = Bytes.u32(copy, 0x000, "version");
        if (v < MIN_PARSED_VERSION || v > MAX_PARSED_VERSION) {
            throw new Malformed("unsupported SNP report version " + v + " (parsed: 2..5)", 0x000);
        }
        return new SnpReport(copy, (int) v, detectGeneration(copy, (int) v));
    }

    private static Optional<SnpGeneration> detectGeneration(byte[] r, int version) {
        if (version >= 3) {
            return SnpGeneration.fromCpuid(r[0x188] & 0xff, r[0x189] & 0xff);
        }
        // v2 has no CPUID fields: sev's chip_id_is_turin_like heuristic (§6.1); a masked (all-zero) chip id is unknown
        byte[] chip = Arrays.copyOfRange(r, 0x1A0, 0x1E0);
        if (Bytes.isZero(chip)) {
            return Optional.empty();
        }
        boolean turinLike = Bytes.isZero(Arrays.copyOfRange(chip, 8, 64));
        return Optional.of(turinLike ? SnpGeneration.TURIN : SnpGeneration.MILAN);
    }

    /** @return a copy of all {@value #SIZE} bytes */
    public byte[] toBytes() {
        return raw.clone();
    }

    /** @return a copy of the signed part, bytes {@code [0x000, 0x2A0)} */
    public byte[] signedPart() {
        return Arrays.copyOf(raw, SIGNED_LENGTH);
    }

    /** @return the report version (offset 0x000), 2…5 */
    public int version() {
        return version;
    }

    /**
     * @return the CPU generation: from CPUID (v3+) or sev's chip-id heuristic (v2: Turin when chip_id bytes 8…63 are
     *         zero, else Milan); empty when unknown (unlisted CPUID, or v2 with a masked chip id)
     */
    public Optional<SnpGeneration> generation() {
        return generation;
    }

    private boolean turin() {
        return generation.orElse(SnpGeneration.MILAN) == SnpGeneration.TURIN;
    }

    private long u32(int off) {
        return (raw[off] & 0xffL) | (raw[off + 1] & 0xffL) << 8 | (raw[off + 2] & 0xffL) << 16
                | (raw[off + 3] & 0xffL) << 24;
    }

    private long u64(int off) {
        return u32(off) | u32(off + 4) << 32;
    }

    private byte[] bytes(int off, int len) {
        return Arrays.copyOfRange(raw, off, off + len);
    }

    /** @return guest_svn (0x004) */
    public long guestSvn() {
        return u32(0x004);
    }

    /** @return the guest policy (0x008, u64) */
    public long policy() {
        return u64(0x008);
    }

    /** @return policy ABI minor, bits 7:0 */
    public int policyAbiMinor() {
        return (int) (policy() & 0xff);
    }

    /** @return policy ABI major, bits 15:8 */
    public int policyAbiMajor() {
        return (int) (policy() >>> 8 & 0xff);
    }

    /** @return policy SMT allowed, bit 16 */
    public boolean policySmtAllowed() {
        return (policy() >>> 16 & 1) != 0;
    }

    /** @return policy migration agent allowed, bit 18 */
    public boolean policyMigrateMa() {
        return (policy() >>> 18 & 1) != 0;
    }

    /** @return policy debug allowed, bit 19 */
    public boolean policyDebugAllowed() {
        return (policy() >>> 19 & 1) != 0;
    }

    /** @return policy single socket, bit 20 */
    public boolean policySingleSocket() {
        return (policy() >>> 20 & 1) != 0;
    }

    /** @return family_id (0x010, 16 bytes) */
    public byte[] familyId() {
        return bytes(0x010, 16);
    }

    /** @return image_id (0x020, 16 bytes) */
    public byte[] imageId() {
        return bytes(0x020, 16);
    }

    /** @return VMPL of the requesting guest (0x030) */
    public long vmpl() {
        return u32(0x030);
    }

    /** @return signature_algo (0x034); 1 = ECDSA P-384 with SHA-384 */
    public long signatureAlgo() {
        return u32(0x034);
    }

    /** @return current_tcb (0x038) decoded for the generation */
    public TcbVersion currentTcb() {
        return TcbVersion.decode(bytes(0x038, 8), turin());
    }

    /** @return platform_info (0x040, u64) */
    public long platformInfo() {
        return u64(0x040);
    }

    /** @return platform_info bit 0, SMT enabled */
    public boolean platformSmtEnabled() {
        return (platformInfo() & 1) != 0;
    }

    /** @return platform_info bit 1, TSME enabled */
    public boolean platformTsmeEnabled() {
        return (platformInfo() >>> 1 & 1) != 0;
    }

    /** @return key_info (0x048) */
    public long keyInfo() {
        return u32(0x048);
    }

    /** @return key_info bit 1, MASK_CHIP_KEY (chip_id zeroed) */
    public boolean maskChipKey() {
        return (keyInfo() >>> 1 & 1) != 0;
    }

    /** @return key_info bits 4:2, SIGNING_KEY (0 VCEK, 1 VLEK, 7 none) */
    public int signingKey() {
        return (int) (keyInfo() >>> 2 & 7);
    }

    /** @return report_data (0x050, 64 bytes) */
    public byte[] reportData() {
        return bytes(0x050, 64);
    }

    /** @return measurement (0x090, 48 bytes) */
    public byte[] measurement() {
        return bytes(0x090, 48);
    }

    /** @return host_data (0x0C0, 32 bytes), where CoCo binds the init-data digest */
    public byte[] hostData() {
        return bytes(0x0C0, 32);
    }

    /** @return id_key_digest (0x0E0, 48 bytes) */
    public byte[] idKeyDigest() {
        return bytes(0x0E0, 48);
    }

    /** @return reported_tcb (0x180) decoded for the generation */
    public TcbVersion reportedTcb() {
        return TcbVersion.decode(bytes(0x180, 8), turin());
    }

    /** @return cpuid_fam_id (0x188; zero in v2) */
    public int cpuidFamily() {
        return raw[0x188] & 0xff;
    }

    /** @return cpuid_mod_id (0x189; zero in v2) */
    public int cpuidModel() {
        return raw[0x189] & 0xff;
    }

    /** @return chip_id (0x1A0, 64 bytes; Turin uses the first 8; zero when MASK_CHIP_KEY) */
    public byte[] chipId() {
        return bytes(0x1A0, 64);
    }

    /** @return committed_tcb (0x1E0) decoded for the generation */
    public TcbVersion committedTcb() {
        return TcbVersion.decode(bytes(0x1E0, 8), turin());
    }

    /** @return launch_tcb (0x1F0) decoded for the generation */
    public TcbVersion launchTcb() {
        return TcbVersion.decode(bytes(0x1F0, 8), turin());
    }

    /** @return firmware version {@code major.minor.build} from 0x1EA, 0x1E9, 0x1E8 */
    public String currentFirmware() {
        return (raw[0x1EA] & 0xff) + "." + (raw[0x1E9] & 0xff) + "." + (raw[0x1E8] & 0xff);
    }

    /**
     * @return the 96-byte IEEE P1363 signature {@code r ‖ s} (big-endian, 48 bytes each) converted from the
     *         little-endian fields at 0x2A0 and 0x2E8
     */
    public byte[] signatureP1363() {
        byte[] out = new byte[96];
        for (int i = 0; i < 48; i++) {
            out[47 - i] = raw[SIGNATURE_R_OFFSET + i];
            out[95 - i] = raw[SIGNATURE_S_OFFSET + i];
        }
        return out;
    }

    /**
     * @return whether bytes 48…71 of both signature fields are zero, as required for a P-384 signature
     */
    public boolean signaturePaddingIsZero() {
        return Bytes.isZero(bytes(SIGNATURE_R_OFFSET + 48, 24)) && Bytes.isZero(bytes(SIGNATURE_S_OFFSET + 48, 24));
    }
}
