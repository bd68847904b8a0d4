package io.cocoplane.keybroker;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.KeyResourceDeleted;
import io.cocoplane.contracts.KeyResourceUpdated;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.keybroker.domain.EnvelopeCipher;
import io.cocoplane.keybroker.domain.KbsException;
import io.cocoplane.keybroker.domain.MasterKeyring;
import io.cocoplane.keybroker.domain.SealedSecret;
import io.cocoplane.keybroker.persistence.ResourceRepository;

/**
 * Admin operations on resources: versioned writes (each a new envelope-encrypted version; the last
 * {@code limits.max-versions} are kept), deletes (all versions removed), metadata listing, and master-key rotation —
 * re-wrapping data keys under the primary master key in batches, never decrypting the values. At start, data keys
 * under a non-primary master key are re-wrapped when {@code master-key.rewrap-on-startup} is true. Events carry
 * metadata only.
 */
@Service
public class ResourceAdmin implements ApplicationRunner {

    private static final Logger log = LoggerFactory.getLogger(ResourceAdmin.class);
    private static final int BATCH = 200;
    /** Most rows listed by {@code GET /kbs/v0/resources}. */
    public static final int MAX_LISTED = 10_000;

    private final ResourceRepository repo;
    private final EnvelopeCipher cipher;
    private final MasterKeys masterKeys;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final KeyBrokerProperties props;
    private final Clock clock;

    /** Spring constructor. */
    public ResourceAdmin(ResourceRepository repo, EnvelopeCipher cipher, MasterKeys masterKeys, EventPublisher events,
                         TransactionTemplate tx, KeyBrokerProperties props, Clock clock) {
        this.repo = repo;
        this.cipher = cipher;
        this.masterKeys = masterKeys;
        this.events = events;
        this.tx = tx;
        this.props = props;
        this.clock = clock;
    }

    /**
     * Stores a new version.
     *
     * @return its metadata
     */
    @Transactional
    public ResourceRepository.Metadata put(ResourcePath path, byte[] value, String by) {
        String p = path.toString();
        Instant now = clock.instant();
        long version = repo.nextVersion(p, now, by);
        SealedSecret sealed = cipher.seal(masterKeys.current(), p, version, value);
        repo.store(p, version, sealed, value.length, now, by, props.limits().maxVersions());
        events.publish(new KeyResourceUpdated(p, version, by, value.length));
        return new ResourceRepository.Metadata(p, version, value.length, now, by);
    }

    /**
     * Deletes every version.
     *
     * @throws KbsException 404 when nothing is stored there
     */
    @Transactional
    public void delete(ResourcePath path, String by) {
        String p = path.toString();
        if (!repo.delete(p, clock.instant(), by)) {
            throw KbsException.resourceNotFound("no resource at " + p);
        }
        events.publish(new KeyResourceDeleted(p, by));
    }

    /** @return metadata of every resource (at most {@value #MAX_LISTED}) */
    public List<ResourceRepository.Metadata> list() {
        return repo.list(MAX_LISTED);
    }

    /**
     * Rotates: optionally makes another configured key the primary, then re-wraps every data key under the primary
     * (a fresh wrap even for those already under it).
     *
     * @param newPrimary a configured master key id, or null to keep the primary
     * @return how many data keys were re-wrapped
     * @throws KbsException 400 when the id is not configured
     */
    public int rotate(String newPrimary) {
        MasterKeyring ring;
        try {
            ring = newPrimary == null ? masterKeys.current() : masterKeys.usePrimary(newPrimary);
        } catch (IllegalArgumentException e) {
            throw KbsException.malformed(e.getMessage());
        }
        int total = 0;
        String afterPath = "";
        long afterVersion = -1;
        while (true) {
            final String ap = afterPath;
            final long av = afterVersion;
            List<ResourceRepository.StoredVersion> batch = tx.execute(s -> {
                List<ResourceRepository.StoredVersion> rows = repo.allVersions(ap, av, BATCH);
                for (ResourceRepository.StoredVersion v : rows) {
                    repo.updateWrapped(v.path(), v.version(), cipher.rewrap(ring, v.path(), v.version(), v.sealed()));
                }
                return rows;
            });
            if (batch == null || batch.isEmpty()) {
                break;
            }
            total += batch.size();
            ResourceRepository.StoredVersion last = batch.get(batch.size() - 1);
            afterPath = last.path();
            afterVersion = last.version();
        }
        log.info("master key rotation: {} data keys re-wrapped under {}", total, ring.primaryId());
        return total;
    }

    /** Re-wraps data keys that are not under the primary master key (startup re-wrap after a key change). */
    public int rewrapStale() {
        MasterKeyring ring = masterKeys.current();
        int total = 0;
        while (true) {
            Integer n = tx.execute(s -> {
                List<ResourceRepository.StoredVersion> rows = repo.versionsNotUnder(ring.primaryId(), BATCH);
                for (ResourceRepository.StoredVersion v : rows) {
                    repo.updateWrapped(v.path(), v.version(), cipher.rewrap(ring, v.path(), v.version(), v.sealed()));
                }
                return rows.size();
            });
            if (n == null || n == 0) {
                break;
            }
            total += n;
        }
        return total;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (props.masterKey().rewrapOnStartup()) {
            int n = rewrapStale();
            if (n > 0) {
                log.info("startup re-wrap: {} data keys moved under master key {}", n,
                        masterKeys.current().primaryId());
            }
        }
    }
}
