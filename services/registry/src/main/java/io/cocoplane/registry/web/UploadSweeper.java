package io.cocoplane.registry.web;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

import io.cocoplane.registry.store.GarbageCollector;

/** Removes expired upload sessions every {@code cocoplane.registry.uploads.sweep-interval}. */
@Component
public class UploadSweeper {

    private final GarbageCollector gc;
    private final DistributionController distribution;
    private final java.time.Duration expiry;

    /**
     * @param gc           the collector
     * @param distribution the API, whose in-memory upload digests are dropped with their sessions
     * @param props        settings
     */
    public UploadSweeper(GarbageCollector gc, DistributionController distribution,
            io.cocoplane.registry.RegistryProperties props) {
        this.gc = gc;
        this.distribution = distribution;
        this.expiry = props.uploads().expiry();
    }

    /** One sweep. */
    @Scheduled(fixedDelayString = "${cocoplane.registry.uploads.sweep-interval:1m}")
    public void sweep() {
        gc.expireUploads();
        distribution.dropIdleUploadState(expiry);
    }
}
