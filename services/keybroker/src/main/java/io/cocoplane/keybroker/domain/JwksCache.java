package io.cocoplane.keybroker.domain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;

/**
 * The attestation service's token-signing keys, fetched from its JWKS and cached: the set is refetched when older than
 * the TTL, and when a token names a {@code kid} the cached set lacks (key rotation) — at most once per
 * {@code minRefreshInterval}, so forged tokens with random ids cannot make the broker hammer the attestation service.
 * Private keys and keys whose {@code use} is not {@code sig} are ignored.
 */
public final class JwksCache {

    /** Where the JWKS comes from. */
    @FunctionalInterface
    public interface Source {
        /**
         * @return the current key set
         * @throws KbsException (503) when the attestation service cannot be reached
         */
        JWKSet fetch();
    }

    private final Source source;
    private final Clock clock;
    private final Duration ttl;
    private final Duration minRefreshInterval;

    private JWKSet cached;
    private Instant fetchedAt = Instant.MIN;

    /**
     * @param source             JWKS fetcher
     * @param clock              clock
     * @param ttl                age after which the set is refetched before use
     * @param minRefreshInterval minimum time between two fetches triggered by an unknown {@code kid}
     */
    public JwksCache(Source source, Clock clock, Duration ttl, Duration minRefreshInterval) {
        this.source = source;
        this.clock = clock;
        this.ttl = ttl;
        this.minRefreshInterval = minRefreshInterval;
    }

    /**
     * @param kid the token's key id
     * @return the public signing key with that id, or empty when even a fresh set lacks it
     * @throws KbsException (503) when no set was ever fetched and the attestation service cannot be reached
     */
    public synchronized Optional<JWK> find(String kid) {
        Instant now = clock.instant();
        if (cached == null || fetchedAt.plus(ttl).isBefore(now)) {
            refresh(now, cached == null);
        }
        Optional<JWK> key = lookup(kid);
        if (key.isEmpty() && !fetchedAt.plus(minRefreshInterval).isAfter(now)) {
            refresh(now, false);
            key = lookup(kid);
        }
        return key;
    }

    private void refresh(Instant now, boolean mustSucceed) {
        try {
            cached = source.fetch();
            fetchedAt = now;
        } catch (KbsException e) {
            if (mustSucceed || cached == null) {
                throw e;
            }
            // keep the old set: tokens under known keys still verify while the attestation service is down
            fetchedAt = now;
        }
    }

    private Optional<JWK> lookup(String kid) {
        if (cached == null || kid == null) {
            return Optional.empty();
        }
        JWK k = cached.getKeyByKeyId(kid);
        if (k == null || k.isPrivate() || (k.getKeyUse() != null && !KeyUse.SIGNATURE.equals(k.getKeyUse()))) {
            return Optional.empty();
        }
        return Optional.of(k);
    }
}
