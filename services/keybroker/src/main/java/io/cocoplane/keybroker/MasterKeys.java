package io.cocoplane.keybroker;

import java.util.concurrent.atomic.AtomicReference;

import io.cocoplane.keybroker.domain.MasterKeyring;

/** Holds the current {@link MasterKeyring}; the rotation endpoint swaps in another primary among the configured keys. */
public final class MasterKeys {

    private final AtomicReference<MasterKeyring> ring;

    /** @param initial the keyring from configuration */
    public MasterKeys(MasterKeyring initial) {
        this.ring = new AtomicReference<>(initial);
    }

    /** @return the current keyring */
    public MasterKeyring current() {
        return ring.get();
    }

    /**
     * @param primaryId a configured key id
     * @return the new keyring
     * @throws IllegalArgumentException when the id is not configured
     */
    public MasterKeyring usePrimary(String primaryId) {
        return ring.updateAndGet(r -> r.withPrimary(primaryId));
    }
}
