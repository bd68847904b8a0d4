package io.cocoplane.katasim;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.fabric8.kubernetes.api.model.Pod;

/**
 * A {@link TamperPolicy} backed by a small properties file ({@link Properties#load(java.io.Reader)} syntax, UTF-8),
 * one entry per workload: {@code <workload-name>=<mode>}, e.g. {@code llm-chat=WRONG_INIT_DATA}. The mode is a
 * {@link TamperMode} name, case-insensitive, {@code -} accepted for {@code _}. Keys match like
 * {@link FixedTamperPolicy} (workload name label first, then workload id label).
 *
 * <p>The file is re-read for every pod, so it can be edited while the simulator runs. A missing file means no
 * tampering. A file larger than {@value #MAX_FILE_BYTES} bytes, an unreadable file, or an entry whose mode is unknown
 * is logged at WARN and ignored (no tampering for the affected pods), never fatal.
 */
public final class FileTamperPolicy implements TamperPolicy {

    /** Largest file read, in bytes. */
    public static final int MAX_FILE_BYTES = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(FileTamperPolicy.class);

    private final Path file;

    /**
     * @param file the properties file; need not exist yet
     * @throws NullPointerException when {@code file} is null
     */
    public FileTamperPolicy(Path file) {
        this.file = Objects.requireNonNull(file, "file");
    }

    /** @return the file this policy reads */
    public Path file() {
        return file;
    }

    /** {@inheritDoc} */
    @Override
    public TamperMode modeFor(Pod pod) {
        Map<String, TamperMode> modes = read();
        for (String key : TamperPolicy.workloadKeys(pod)) {
            TamperMode m = modes.get(key);
            if (m != null) {
                return m;
            }
        }
        return TamperMode.NONE;
    }

    /**
     * Reads the file now.
     *
     * @return workload key to mode, without the entries that could not be understood; empty when the file is missing,
     *         too large or unreadable
     */
    public Map<String, TamperMode> read() {
        byte[] bytes;
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                log.warn("tamper file {} is larger than {} bytes; ignored", file, MAX_FILE_BYTES);
                return Map.of();
            }
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            log.warn("tamper file {} unreadable ({}); ignored", file, e.toString());
            return Map.of();
        }
        Properties p = new Properties();
        try {
            p.load(new StringReader(new String(bytes, StandardCharsets.UTF_8)));
        } catch (IOException | IllegalArgumentException e) {
            log.warn("tamper file {} is not a properties file ({}); ignored", file, e.getMessage());
            return Map.of();
        }
        Map<String, TamperMode> out = new HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String value = p.getProperty(key).trim();
            try {
                out.put(key.trim(), TamperMode.valueOf(value.toUpperCase(Locale.ROOT).replace('-', '_')));
            } catch (IllegalArgumentException e) {
                log.warn("tamper file {}: entry '{}' has unknown mode '{}' (expected one of NONE, WRONG_INIT_DATA, "
                        + "WRONG_MEASUREMENT); ignored", file, key, value);
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "FileTamperPolicy[" + file + "]";
    }
}
