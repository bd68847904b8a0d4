package io.cocoplane.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The configuration directory: {@code $COCOPLANE_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/cocoplane}, else
 * {@code ~/.config/cocoplane}. Files:
 * <ul>
 * <li>{@code config.json}: {@code {"gateway","token","clientId","clientSecret","tokenUrl","scope",
 * "allowInsecureHttp"}} written by {@code login};</li>
 * <li>{@code audit-state.json}: the last verified audit checkpoint (see {@link AuditState}).</li>
 * </ul>
 * The directory is created with mode 0700 and every file is written with mode 0600 (on POSIX file systems), through a
 * temporary file renamed into place, so a reader never sees half a file and the secret is never world-readable.
 */
final class ConfigStore {

    static final String CONFIG_FILE = "config.json";
    static final String AUDIT_STATE_FILE = "audit-state.json";
    /** Largest file read from the configuration directory. */
    static final int MAX_FILE_BYTES = 1024 * 1024;

    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path dir;

    ConfigStore(Path dir) {
        this.dir = dir;
    }

    /**
     * @param env the process environment
     * @return the store of the directory the environment names
     */
    static ConfigStore fromEnvironment(Map<String, String> env) {
        String explicit = env.get("COCOPLANE_CONFIG_DIR");
        if (explicit != null && !explicit.isBlank()) {
            return new ConfigStore(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return new ConfigStore(Path.of(xdg, "cocoplane"));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new ConfigStore(Path.of(home, ".config", "cocoplane"));
    }

    Path dir() {
        return dir;
    }

    /** @return the parsed file, or an empty object when it does not exist */
    ObjectNode read(String name) {
        Path file = dir.resolve(name);
        if (!Files.isRegularFile(file)) {
            return Json.object();
        }
        try {
            if (Files.size(file) > MAX_FILE_BYTES) {
                throw new CliException(ExitCodes.USAGE, file + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Json.parseObject(Files.readAllBytes(file), file.toString(), ExitCodes.USAGE);
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    /** Writes the file with mode 0600 (atomically replacing an older one). */
    void write(String name, JsonNode content) {
        try {
            createDir();
            Path tmp = dir.resolve("." + name + ".tmp");
            Files.deleteIfExists(tmp);
            if (posix()) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } else {
                Files.createFile(tmp);
            }
            Files.write(tmp, Json.pretty(content).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            Path target = dir.resolve(name);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            if (posix()) {
                Files.setPosixFilePermissions(target, FILE_MODE);
            }
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot write " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    /** Deletes the file if present. */
    boolean delete(String name) {
        try {
            return Files.deleteIfExists(dir.resolve(name));
        } catch (IOException e) {
            throw new CliException(ExitCodes.USAGE, "cannot delete " + dir.resolve(name) + ": " + e.getMessage(), e);
        }
    }

    private void createDir() throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Path parent = dir.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        try {
            if (posix()) {
                Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } else {
                Files.createDirectory(dir);
            }
        } catch (FileAlreadyExistsException e) {
            // a concurrent login created it
        }
    }

    private boolean posix() {
        return dir.toAbsolutePath().getRoot().getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
