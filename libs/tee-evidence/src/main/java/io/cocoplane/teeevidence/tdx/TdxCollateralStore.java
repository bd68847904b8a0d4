package io.cocoplane.teeevidence.tdx;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.Json;
import tools.jackson.databind.JsonNode;

/**
 * Offline TDX collateral read from a directory: Intel PCS v4 TCB Info documents (one per FMSPC) and the {@code TD_QE}
 * QE Identity, as Intel's PCS client tool or a PCCS mirror writes them ({@code kbs-attestation.md} §7.2).
 *
 * <p>Every regular {@code *.json} file directly in the directory (at most {@value #MAX_FILES}, each at most
 * {@link TdxCollateral#MAX_JSON_BYTES} bytes) is read once, at {@link #load(Path)}: a document with a top-level
 * {@code tcbInfo} object is a TCB Info (indexed by its {@code fmspc}), one with {@code enclaveIdentity} whose
 * {@code id} is {@code TD_QE} is the QE Identity; other JSON files are listed in {@link #ignored()} and otherwise
 * skipped (so the directory may hold unrelated files). The documents are taken as trusted configuration, like
 * {@link TdxCollateral#parse}; their signatures are not checked here.
 *
 * <p>{@link #forFmspc(byte[])} answers the collateral for a platform, or empty when its TCB Info or the QE Identity is
 * missing — the verifier then reports {@code tcb_status "Unknown"} with {@code collateral_missing = true}.
 * Immutable: new collateral needs a new {@code load} (a restart of the service).
 */
public final class TdxCollateralStore {

    /** Most {@code *.json} files read from the directory. */
    public static final int MAX_FILES = 1024;

    private final Map<String, TdxCollateral> byFmspc;
    private final boolean qeIdentityPresent;
    private final int tcbInfoCount;
    private final List<Path> ignored;

    private TdxCollateralStore(Map<String, TdxCollateral> byFmspc, boolean qeIdentityPresent, int tcbInfoCount,
                               List<Path> ignored) {
        this.byFmspc = Map.copyOf(byFmspc);
        this.qeIdentityPresent = qeIdentityPresent;
        this.tcbInfoCount = tcbInfoCount;
        this.ignored = List.copyOf(ignored);
    }

    /**
     * Reads the collateral directory.
     *
     * @param dir an existing directory
     * @return the collateral found (possibly none)
     * @throws IOException when the directory cannot be listed or a file cannot be read
     * @throws IllegalArgumentException when {@code dir} is not a directory, holds more than {@value #MAX_FILES}
     *         JSON files, a JSON file is larger than {@link TdxCollateral#MAX_JSON_BYTES} bytes or not a JSON object,
     *         a TCB Info or QE Identity is not the supported version, or two documents claim the same FMSPC (or two
     *         QE Identities exist) — each message names the file
     */
    public static TdxCollateralStore load(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("TDX collateral directory " + dir + " does not exist or is not a "
                    + "directory");
        }
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
            for (Path p : ds) {
                if (Files.isRegularFile(p)) {
                    if (files.size() == MAX_FILES) {
                        throw new IllegalArgumentException("TDX collateral directory " + dir + " holds more than "
                                + MAX_FILES + " JSON files");
                    }
                    files.add(p);
                }
            }
        }
        files.sort(null);
        Map<String, byte[]> tcbInfos = new HashMap<>();
        Map<String, Path> tcbInfoFiles = new HashMap<>();
        byte[] qeIdentity = null;
        Path qeIdentityFile = null;
        List<Path> ignored = new ArrayList<>();
        for (Path p : files) {
            if (Files.size(p) > TdxCollateral.MAX_JSON_BYTES) {
                throw new IllegalArgumentException(p + " is larger than " + TdxCollateral.MAX_JSON_BYTES + " bytes");
            }
            byte[] doc = Files.readAllBytes(p);
            JsonNode root;
            try {
                root = Json.parseObject(doc);
            } catch (Malformed e) {
                throw new IllegalArgumentException(p + " is not a JSON object: " + e.getMessage(), e);
            }
            JsonNode tcbInfo = root.get("tcbInfo");
            JsonNode identity = root.get("enclaveIdentity");
            if (tcbInfo != null && tcbInfo.isObject()) {
                String fmspc = tcbInfo.path("fmspc").asString("").toLowerCase(Locale.ROOT);
                if (!fmspc.matches("[0-9a-f]{12}")) {
                    throw new IllegalArgumentException(p + ": tcbInfo.fmspc must be 6 bytes of hex");
                }
                Path previous = tcbInfoFiles.putIfAbsent(fmspc, p);
                if (previous != null) {
                    throw new IllegalArgumentException("two TCB Infos for FMSPC " + fmspc + ": " + previous + " and "
                            + p);
                }
                tcbInfos.put(fmspc, doc);
            } else if (identity != null && identity.isObject() && "TD_QE".equals(identity.path("id").asString(""))) {
                if (qeIdentityFile != null) {
                    throw new IllegalArgumentException("two TD_QE QE Identities: " + qeIdentityFile + " and " + p);
                }
                if (identity.path("version").asInt(0) != 2) {
                    throw new IllegalArgumentException(p + ": QE Identity must be id \"TD_QE\" version 2");
                }
                qeIdentity = doc;
                qeIdentityFile = p;
            } else {
                ignored.add(p);
            }
        }
        Map<String, TdxCollateral> byFmspc = new HashMap<>();
        for (var e : tcbInfos.entrySet()) {
            Path file = tcbInfoFiles.get(e.getKey());
            JsonNode t;
            try {
                t = Json.parseObject(e.getValue()).get("tcbInfo");
            } catch (Malformed m) {
                throw new IllegalArgumentException(file + ": " + m.getMessage(), m);
            }
            if (!"TDX".equals(t.path("id").asString("")) || t.path("version").asInt(0) != 3) {
                throw new IllegalArgumentException(file + ": TCB Info must be id \"TDX\" version 3");
            }
            if (qeIdentity != null) {
                try {
                    byFmspc.put(e.getKey(), TdxCollateral.parse(e.getValue(), qeIdentity));
                } catch (Malformed m) {
                    throw new IllegalArgumentException(file + " with " + qeIdentityFile + ": " + m.getMessage(), m);
                }
            }
        }
        return new TdxCollateralStore(byFmspc, qeIdentityFile != null, tcbInfos.size(), ignored);
    }

    /**
     * @param fmspc the platform's FMSPC (6 bytes, from the PCK certificate)
     * @return its collateral, or empty when the directory has no TCB Info for it or no QE Identity
     */
    public Optional<TdxCollateral> forFmspc(byte[] fmspc) {
        return Optional.ofNullable(byFmspc.get(java.util.HexFormat.of().formatHex(fmspc)));
    }

    /** @return the number of TCB Info documents read */
    public int tcbInfoCount() {
        return tcbInfoCount;
    }

    /** @return whether a {@code TD_QE} QE Identity was read */
    public boolean hasQeIdentity() {
        return qeIdentityPresent;
    }

    /** @return JSON files of the directory that are neither TCB Info nor a TD_QE QE Identity */
    public List<Path> ignored() {
        return ignored;
    }
}
