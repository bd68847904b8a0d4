package io.cocoplane.katasim;

import java.util.concurrent.atomic.LongAdder;

/** The simulator's running totals (see {@link KataNodeSimulator.Stats}). */
final class Counters {
    final LongAdder attestations = new LongAdder();
    final LongAdder keysFetched = new LongAdder();
    final LongAdder layersVerified = new LongAdder();
    final LongAdder podsReady = new LongAdder();
    final LongAdder failedAttempts = new LongAdder();

    KataNodeSimulator.Stats snapshot() {
        return new KataNodeSimulator.Stats(attestations.sum(), keysFetched.sum(), layersVerified.sum(),
                podsReady.sum(), failedAttempts.sum());
    }
}
