package io.cocoplane.reliability;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The event source of the fault suite: key broker admin resource writes ({@code POST /kbs/v0/resource/<path>}), each
 * of which stores the next version of its path and publishes exactly one {@code key.resource-updated} (path,
 * version) in the same transaction. Write {@code n} goes to {@code <repository>/p/<n mod }{@value #PATHS}{@code >}
 * (the key broker lists at most 10,000 resources); a write that fails (connection refused or reset, timeout, 5xx) is
 * retried, so a write that committed but whose answer was lost shows up as one more version — {@link #committed}
 * reconciles with the versions the key broker holds, never with what the clients saw.
 */
final class ResourceWriteLoad {

    /** Distinct resource paths the writes cycle through. */
    static final int PATHS = 1000;
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private final String keybroker;
    private final String token;
    private final String repository;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong retries = new AtomicLong();

    /**
     * @param keybrokerPort the key broker's port
     * @param adminToken    a key broker admin bearer token
     * @param repository    first path segment of every resource written (tells them from other resources)
     */
    ResourceWriteLoad(int keybrokerPort, String adminToken, String repository) {
        this.keybroker = "http://127.0.0.1:" + keybrokerPort + "/kbs/v0";
        this.token = adminToken;
        this.repository = repository;
    }

    /** A write the key broker did not acknowledge (yet); retried. */
    static final class NotAcknowledged extends IOException {
        private static final long serialVersionUID = 1L;

        NotAcknowledged(String message) {
            super(message);
        }
    }

    /**
     * Writes with {@code threads} clients, paced to {@code perSecond} in all, until {@code writes} writes have been
     * acknowledged or {@code stop} says so.
     *
     * @param threads   client threads
     * @param perSecond writes per second in all
     * @param writes    most writes
     * @param stop      checked before each write
     */
    void run(int threads, int perSecond, int writes, BooleanSupplier stop) throws Exception {
        RateLimiter pace = RateLimiter.of("resource-writes", RateLimiterConfig.custom()
                .limitForPeriod(Math.max(1, perSecond / 10)).limitRefreshPeriod(Duration.ofMillis(100))
                .timeoutDuration(Duration.ofMinutes(1)).build());
        int limit = next.get() + writes;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    while (!stop.getAsBoolean()) {
                        int n = next.getAndIncrement();
                        if (n >= limit) {
                            next.decrementAndGet();
                            return null;
                        }
                        RateLimiter.waitForPermission(pace);
                        write(repository + "/p/" + n % PATHS);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private void write(String path) throws Exception {
        // up to 10 min: a service restarted on a loaded 2-core machine can take over 2 min to be ready
        Retry retry = Retry.of("resource-write", RetryConfig.custom().maxAttempts(2400)
                .waitDuration(Duration.ofMillis(250)).retryExceptions(IOException.class)
                .failAfterMaxAttempts(true).build());
        retry.getEventPublisher().onRetry(e -> retries.incrementAndGet());
        HttpRequest req = HttpRequest.newBuilder(URI.create(keybroker + "/resource/" + path))
                .timeout(Duration.ofSeconds(20)).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .POST(HttpRequest.BodyPublishers.ofString("value of " + path)).build();
        try {
            Retry.decorateCheckedSupplier(retry, () -> {
                HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() >= 500 || r.statusCode() == 429) {
                    throw new NotAcknowledged(path + ": " + r.statusCode() + " " + r.body());
                }
                if (r.statusCode() != 200) {
                    throw new IllegalStateException("POST " + path + ": " + r.statusCode() + " " + r.body());
                }
                acknowledged.incrementAndGet();
                return r;
            }).get();
        } catch (Exception | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /**
     * @return path → current version of every resource under the repository, as the key broker lists them (the
     *         version counts the committed writes of the path, each of which published one event)
     */
    Map<String, Long> committed() throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(keybroker + "/resources"))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException("GET /kbs/v0/resources: " + r.statusCode() + " " + r.body());
        }
        Map<String, Long> m = new TreeMap<>();
        for (JsonNode v : JSON.readTree(r.body())) {
            String p = v.path("path").asString();
            if (p.startsWith(repository + "/")) {
                m.put(p, v.path("version").asLong());
            }
        }
        return m;
    }

    /** @return writes the clients saw acknowledged */
    long acknowledged() {
        return acknowledged.get();
    }

    /** @return retried attempts */
    long retries() {
        return retries.get();
    }
}
