package io.cocoplane.teeevidence.snp;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

import io.cocoplane.teeevidence.Bytes;

/**
 * An offline directory of VCEK certificates laid out like trustee's KDS store ({@code kbs-attestation.md} §6.3):
 * {@code <root>/vcek/<hwid-hex>/bl<NN>_tee<NN>_snp<NN>_ucode<NN>[_fmc<NN>]_vcek.der}, falling back to
 * {@code <root>/vcek/<hwid-hex>/vcek.der}. {@code hwid-hex} is the lowercase hex of the chip's hwID (the full 64-byte
 * chip_id, or its first 8 bytes on Turin); SPLs are zero-padded two-digit decimals (three digits when ≥ 100).
 */
public final class OfflineKdsStore {

    /** Largest VCEK file read, in bytes. */
    public static final int MAX_FILE_BYTES = 16 * 1024;

    private final Path root;

    /**
     * @param root the store directory (need not exist yet; lookups then find nothing)
     */
    public OfflineKdsStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /**
     * @param hwId the hwID bytes (64, or 8 on Turin)
     * @param tcb the report's reported_tcb
     * @return the relative file name of the TCB-specific VCEK, e.g. {@code bl03_tee00_snp08_ucode115_vcek.der}
     */
    public static String fileName(byte[] hwId, TcbVersion tcb) {
        String s = String.format(Locale.ROOT, "bl%02d_tee%02d_snp%02d_ucode%02d", tcb.bootloader(), tcb.tee(),
                tcb.snp(), tcb.microcode());
        if (tcb.fmc() != null) {
            s += String.format(Locale.ROOT, "_fmc%02d", tcb.fmc());
        }
        return s + "_vcek.der";
    }

    /**
     * @param hwId hwID bytes
     * @param tcb reported TCB
     * @return the DER of the TCB-specific VCEK or, failing that, of {@code vcek.der}; empty when neither exists or
     *         the file is larger than {@value #MAX_FILE_BYTES} bytes or unreadable
     */
    public Optional<byte[]> findVcek(byte[] hwId, TcbVersion tcb) {
        Path dir = root.resolve("vcek").resolve(Bytes.hex(hwId));
        for (Path p : new Path[] {dir.resolve(fileName(hwId, tcb)), dir.resolve("vcek.der")}) {
            try {
                if (Files.isRegularFile(p) && Files.size(p) <= MAX_FILE_BYTES) {
                    return Optional.of(Files.readAllBytes(p));
                }
            } catch (IOException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }
}
