package io.cocoplane.gateway.security;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.ratelimiter.internal.AtomicRateLimiter;

/**
 * One resilience4j {@link RateLimiter} per subject (never waiting for a permit), in an LRU map bounded to
 * {@code maxSubjects} entries so that a flood of subjects cannot exhaust memory.
 */
public final class WriteRateLimiter {

    private final RateLimiterConfig config;
    private final Map<String, RateLimiter> limiters;

    /**
     * @param limitForPeriod permits per period
     * @param refreshPeriod  period
     * @param maxSubjects    most subjects tracked
     */
    public WriteRateLimiter(int limitForPeriod, Duration refreshPeriod, int maxSubjects) {
        this.config = RateLimiterConfig.custom().limitForPeriod(limitForPeriod).limitRefreshPeriod(refreshPeriod)
                .timeoutDuration(Duration.ZERO).build();
        this.limiters = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, RateLimiter> eldest) {
                return size() > maxSubjects;
            }
        };
    }

    /**
     * @param subject caller subject
     * @return 0 when a permit was taken, else the seconds (at least 1) until the next permit
     */
    public long tryAcquire(String subject) {
        RateLimiter limiter;
        synchronized (limiters) {
            limiter = limiters.computeIfAbsent(subject, s -> new AtomicRateLimiter("writes", config));
        }
        if (limiter.acquirePermission()) {
            return 0;
        }
        long nanos = ((AtomicRateLimiter) limiter).getDetailedMetrics().getNanosToWait();
        return Math.max(1, (nanos + 999_999_999L) / 1_000_000_000L);
    }
}
