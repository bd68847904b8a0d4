package io.cocoplane.audit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.interfaces.EdECPrivateKey;
import java.security.spec.NamedParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;

import io.cocoplane.transparencylog.NoteSigner;
import io.cocoplane.transparencylog.NoteVerifier;

/**
 * The log's persistent Ed25519 checkpoint key (RFC 8032), as a c2sp.org/signed-note {@link NoteSigner} whose key name
 * is the log origin.
 *
 * <p>Where it lives: the PKCS#8 PEM file {@code cocoplane.audit.signing-key-file} when configured (read when present;
 * otherwise generated and written with owner-only permissions), else the single row of {@code audit.signing_key}
 * (generated on first start; concurrent first starts agree through {@code ON CONFLICT DO NOTHING}). Never ephemeral.
 * The PEM is {@code -----BEGIN PRIVATE KEY-----}, PKCS#8 (RFC 5208/5958) with the Ed25519 OID 1.3.101.112
 * (RFC 8410); the 32-byte seed inside it is the note key.
 */
public final class LogSigningKey {

    private static final Logger log = LoggerFactory.getLogger(LogSigningKey.class);
    private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
    private static final String END = "-----END PRIVATE KEY-----";

    private final NoteSigner signer;

    private LogSigningKey(NoteSigner signer) {
        this.signer = signer;
    }

    /**
     * Loads or creates the key.
     *
     * @param origin  the log origin (key name)
     * @param keyFile the configured PEM file, or null to keep the key in the database
     * @param jdbc    template on the service's data source (schema {@code audit})
     * @return the key
     * @throws SigningKeyException when the file or row cannot be read, parsed or written
     */
    public static LogSigningKey loadOrCreate(String origin, Path keyFile, JdbcTemplate jdbc) {
        String pem = keyFile != null ? fromFile(keyFile) : fromDatabase(jdbc);
        return new LogSigningKey(NoteSigner.fromSeed(origin, seedOf(pem)));
    }

    /** @return the signer (a secret: never log its signer key) */
    public NoteSigner signer() {
        return signer;
    }

    /** @return the verifier relying parties configure */
    public NoteVerifier verifier() {
        return signer.verifier();
    }

    private static String fromDatabase(JdbcTemplate jdbc) {
        List<String> rows = jdbc.queryForList("SELECT private_key_pem FROM signing_key WHERE id = 1", String.class);
        if (!rows.isEmpty()) {
            return rows.get(0);
        }
        int inserted = jdbc.update("INSERT INTO signing_key (id, private_key_pem) VALUES (1, ?) ON CONFLICT DO NOTHING",
                generatePem());
        if (inserted == 1) {
            log.info("generated the audit log signing key and stored it in the database");
        }
        return jdbc.queryForObject("SELECT private_key_pem FROM signing_key WHERE id = 1", String.class);
    }

    private static String fromFile(Path file) {
        try {
            if (Files.exists(file)) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            String pem = generatePem();
            Path dir = file.toAbsolutePath().getParent();
            if (dir != null) {
                Files.createDirectories(dir);
            }
            try {
                // created owner-only before any key byte is written; no window in which others could read it
                if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rw-------")));
                } else {
                    log.warn("cannot restrict permissions of {}: the file system has no POSIX permissions", file);
                    Files.createFile(file);
                }
            } catch (FileAlreadyExistsException raced) {
                return Files.readString(file, StandardCharsets.US_ASCII);
            }
            Files.writeString(file, pem, StandardCharsets.US_ASCII, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING);
            log.info("generated the audit log signing key in {}", file);
            return pem;
        } catch (IOException e) {
            throw new SigningKeyException("signing key file " + file + " cannot be read or written: " + e, e);
        }
    }

    /**
     * @return a new Ed25519 key as PKCS#8 PEM
     */
    static String generatePem() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            byte[] der = g.generateKeyPair().getPrivate().getEncoded();
            return BEGIN + "\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der) + "\n" + END
                    + "\n";
        } catch (GeneralSecurityException e) {
            throw new SigningKeyException("Ed25519 is not available in this JVM", e);
        }
    }

    /**
     * @param pem a PKCS#8 PEM private key
     * @return the 32-byte Ed25519 seed
     * @throws SigningKeyException when it is not PEM, not PKCS#8 or not Ed25519
     */
    static byte[] seedOf(String pem) {
        int b = pem == null ? -1 : pem.indexOf(BEGIN);
        int e = b < 0 ? -1 : pem.indexOf(END, b);
        if (b < 0 || e < 0) {
            throw new SigningKeyException("signing key is not a PEM \"PRIVATE KEY\" (PKCS#8) block", null);
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(pem.substring(b + BEGIN.length(), e));
        } catch (IllegalArgumentException ex) {
            throw new SigningKeyException("signing key PEM body is not base64", ex);
        }
        try {
            PrivateKey key = KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der));
            if (!(key instanceof EdECPrivateKey ed) || !(ed.getParams() instanceof NamedParameterSpec p)
                    || !"Ed25519".equalsIgnoreCase(p.getName())) {
                throw new SigningKeyException("signing key is not an Ed25519 key", null);
            }
            return ed.getBytes().orElseThrow(() -> new SigningKeyException("Ed25519 key has no extractable seed",
                    null));
        } catch (GeneralSecurityException ex) {
            throw new SigningKeyException("signing key is not a PKCS#8 Ed25519 key (RFC 8410): " + ex.getMessage(),
                    ex);
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }
}
