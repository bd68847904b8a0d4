package io.cocoplane.registry;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Settings under {@code cocoplane.registry}.
 *
 * @param storage where blobs live
 * @param limits  size and count limits
 * @param auth    Docker token authentication
 * @param uploads upload-session lifetime
 * @param gc      garbage collection
 */
@ConfigurationProperties("cocoplane.registry")
public record RegistryProperties(Storage storage, Limits limits, Auth auth, Uploads uploads, Gc gc) {

    /** Fills defaults. */
    public RegistryProperties {
        storage = storage == null ? new Storage(null, null) : storage;
        limits = limits == null ? new Limits(null, null, null) : limits;
        auth = auth == null ? new Auth(null, null, null, null, null, null, null, null, null) : auth;
        uploads = uploads == null ? new Uploads(null, null) : uploads;
        gc = gc == null ? new Gc(null) : gc;
    }

    /**
     * @param root  blob root (default {@code ./.cocoplane/registry-blobs})
     * @param fsync force blob files to disk before commit (default true)
     */
    public record Storage(Path root, Boolean fsync) {
        /** Fills defaults. */
        public Storage {
            root = root == null ? Path.of(".cocoplane", "registry-blobs") : root;
            fsync = fsync == null || fsync;
        }
    }

    /**
     * @param maxManifestSize largest manifest (default 4 MiB; beyond: 413 SIZE_INVALID)
     * @param maxBlobSize     largest blob and largest single chunk (default 16 GiB; beyond: 413 SIZE_INVALID)
     * @param maxPageSize     most entries in one tags/catalog/referrers page (default 1000)
     */
    public record Limits(DataSize maxManifestSize, DataSize maxBlobSize, Integer maxPageSize) {
        /** Fills defaults. */
        public Limits {
            maxManifestSize = maxManifestSize == null ? DataSize.ofMegabytes(4) : maxManifestSize;
            maxBlobSize = maxBlobSize == null ? DataSize.ofGigabytes(16) : maxBlobSize;
            maxPageSize = maxPageSize == null ? 1000 : maxPageSize;
        }
    }

    /**
     * @param disabled      development switch: no authentication at all (logged as a warning)
     * @param anonymousPull allow pulls without a token (default false)
     * @param realm         token endpoint announced in {@code WWW-Authenticate} (default the local gateway's Docker token
     *                      endpoint {@code http://127.0.0.1:8080/auth/token})
     * @param service       the {@code service} (and required token audience), default {@code cocoplane-registry}
     * @param issuer        required token issuer, default {@code cocoplane-gateway}
     * @param jwks          inline JWK set JSON
     * @param jwksFile      JWK set file
     * @param jwksUri       JWK set URL
     * @param leeway        clock skew allowed on {@code exp}/{@code nbf} (default 60 s)
     */
    public record Auth(Boolean disabled, Boolean anonymousPull, String realm, String service, String issuer,
            String jwks, Path jwksFile, URI jwksUri, Duration leeway) {
        /** Fills defaults. */
        public Auth {
            disabled = disabled != null && disabled;
            anonymousPull = anonymousPull != null && anonymousPull;
            realm = realm == null ? "http://127.0.0.1:8080/auth/token" : realm;
            service = service == null ? "cocoplane-registry" : service;
            issuer = issuer == null ? "cocoplane-gateway" : issuer;
            leeway = leeway == null ? Duration.ofSeconds(60) : leeway;
        }
    }

    /**
     * @param expiry        an upload session expires this long after its last chunk (default 1 h)
     * @param sweepInterval how often expired sessions are removed (default 1 min)
     */
    public record Uploads(Duration expiry, Duration sweepInterval) {
        /** Fills defaults. */
        public Uploads {
            expiry = expiry == null ? Duration.ofHours(1) : expiry;
            sweepInterval = sweepInterval == null ? Duration.ofMinutes(1) : sweepInterval;
        }
    }

    /** @param grace blobs linked or written more recently than this are never collected (default 1 h) */
    public record Gc(Duration grace) {
        /** Fills defaults. */
        public Gc {
            grace = grace == null ? Duration.ofHours(1) : grace;
        }
    }
}
