package io.cocoplane.teeevidence.snp;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException.EndorsementMissing;
import io.github.resilience4j.ratelimiter.RateLimiter;
import io.github.resilience4j.ratelimiter.RateLimiterConfig;

/**
 * Online VCEK fetch from AMD's Key Distribution Service ({@code kbs-attestation.md} §6.3), for evidence that carries
 * no VCEK and is not in the offline store:
 * {@code GET <base>/vcek/v1/<Milan|Genoa|Turin>/<hwid-hex>?[fmcSPL=NN&]blSPL=NN&teeSPL=NN&snpSPL=NN&ucodeSPL=NN}
 * answering the DER certificate.
 *
 * <p>Successful answers are kept in a bounded cache (Caffeine; key = the request URI, so one entry per chip and TCB),
 * and requests that reach the network go through a non-blocking rate limit (resilience4j {@link RateLimiter}): a fetch
 * over the limit fails at once with {@link EndorsementMissing} instead of queueing, so a flood of evidence for unknown
 * chips cannot make this service hammer AMD's KDS (which throttles) or hold request threads. Failed fetches are not
 * cached. The fetched certificate is not trusted: {@link SnpVerifier} verifies its chain to the ARK like any other.
 *
 * <p>Nothing is fetched unless a caller builds a client and passes it to {@link SnpVerifier.Builder#kdsClient}.
 * Thread-safe.
 */
public final class KdsClient {

    /** AMD's public KDS. */
    public static final URI AMD_KDS = URI.create("https://kdsintf.amd.com");
    /** Largest accepted answer, in bytes (a VCEK is about 1.3 KiB). */
    public static final int MAX_RESPONSE_BYTES = OfflineKdsStore.MAX_FILE_BYTES;

    private final URI base;
    private final Duration timeout;
    private final HttpClient http;
    private final Cache<String, byte[]> cache;
    private final RateLimiter rateLimiter;

    private KdsClient(Builder b) {
        this.base = b.base;
        this.timeout = b.timeout;
        this.http = HttpClient.newBuilder().connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.cache = Caffeine.newBuilder().maximumSize(b.cacheSize).expireAfterWrite(b.cacheTtl).build();
        this.rateLimiter = RateLimiter.of("amd-kds", RateLimiterConfig.custom().limitForPeriod(b.rateLimit)
                .limitRefreshPeriod(b.ratePeriod).timeoutDuration(Duration.ZERO).build());
    }

    /**
     * @return a builder with the defaults: {@link #AMD_KDS}, 10 s timeout, 1024 cached certificates for 24 h,
     *         at most 30 network fetches per minute
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Configures a {@link KdsClient}. */
    public static final class Builder {
        private URI base = AMD_KDS;
        private Duration timeout = Duration.ofSeconds(10);
        private long cacheSize = 1024;
        private Duration cacheTtl = Duration.ofHours(24);
        private int rateLimit = 30;
        private Duration ratePeriod = Duration.ofMinutes(1);

        private Builder() {
        }

        /**
         * @param base the KDS base URI, {@code http} or {@code https}, e.g. a caching mirror
         * @return this
         * @throws IllegalArgumentException when the scheme is not http(s) or the host is missing
         */
        public Builder baseUri(URI base) {
            String scheme = base.getScheme() == null ? "" : base.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || base.getHost() == null) {
                throw new IllegalArgumentException("KDS base URI must be http(s)://host[:port][/path], got " + base);
            }
            String s = base.toString();
            this.base = URI.create(s.endsWith("/") ? s.substring(0, s.length() - 1) : s);
            return this;
        }

        /**
         * @param timeout connect and request timeout, positive
         * @return this
         */
        public Builder timeout(Duration timeout) {
            this.timeout = positive(timeout, "timeout");
            return this;
        }

        /**
         * @param entries most cached certificates, ≥ 1
         * @param ttl how long a fetched certificate stays cached, positive
         * @return this
         */
        public Builder cache(long entries, Duration ttl) {
            if (entries < 1) {
                throw new IllegalArgumentException("KDS cache size must be at least 1");
            }
            this.cacheSize = entries;
            this.cacheTtl = positive(ttl, "cache TTL");
            return this;
        }

        /**
         * @param fetches most network fetches per period, ≥ 1
         * @param period the rate-limit period, positive
         * @return this
         */
        public Builder rateLimit(int fetches, Duration period) {
            if (fetches < 1) {
                throw new IllegalArgumentException("KDS rate limit must allow at least 1 fetch per period");
            }
            this.rateLimit = fetches;
            this.ratePeriod = positive(period, "rate-limit period");
            return this;
        }

        private static Duration positive(Duration d, String what) {
            if (d == null || d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("KDS " + what + " must be positive, got " + d);
            }
            return d;
        }

        /** @return the client */
        public KdsClient build() {
            return new KdsClient(this);
        }
    }

    /**
     * @param base the KDS base URI without trailing slash
     * @param generation the CPU generation (product name in the path)
     * @param hwId the hwID (64 bytes, or 8 on Turin)
     * @param tcb the report's reported_tcb
     * @return the VCEK URI; SPLs are zero-padded two-digit decimals, {@code fmcSPL} first when present (Turin)
     */
    public static URI vcekUri(URI base, SnpGeneration generation, byte[] hwId, TcbVersion tcb) {
        StringBuilder q = new StringBuilder();
        if (tcb.fmc() != null) {
            q.append(String.format(Locale.ROOT, "fmcSPL=%02d&", tcb.fmc()));
        }
        q.append(String.format(Locale.ROOT, "blSPL=%02d&teeSPL=%02d&snpSPL=%02d&ucodeSPL=%02d", tcb.bootloader(),
                tcb.tee(), tcb.snp(), tcb.microcode()));
        return URI.create(base + "/vcek/v1/" + generation.productName() + "/" + Bytes.hex(hwId) + "?" + q);
    }

    /**
     * Returns the VCEK for a chip and TCB, from the cache or from the KDS.
     *
     * @param generation the CPU generation
     * @param hwId the hwID (64 bytes, or 8 on Turin)
     * @param tcb the report's reported_tcb
     * @return the DER certificate as the KDS sent it (not yet verified)
     * @throws EndorsementMissing when the rate limit is reached, the KDS answers other than 200, the answer is
     *         larger than {@value #MAX_RESPONSE_BYTES} bytes, or the request fails or times out
     */
    public byte[] fetchVcek(SnpGeneration generation, byte[] hwId, TcbVersion tcb) throws EndorsementMissing {
        Objects.requireNonNull(generation, "generation");
        URI uri = vcekUri(base, generation, hwId, tcb);
        String key = uri.toString();
        byte[] cached = cache.getIfPresent(key);
        if (cached != null) {
            return cached.clone();
        }
        if (!rateLimiter.acquirePermission()) {
            throw new EndorsementMissing("no VCEK in the evidence or the offline store, and the KDS fetch rate limit ("
                    + rateLimiter.getRateLimiterConfig().getLimitForPeriod() + " per "
                    + rateLimiter.getRateLimiterConfig().getLimitRefreshPeriod() + ") is reached; retry later");
        }
        byte[] der = get(uri);
        cache.put(key, der);
        return der.clone();
    }

    private byte[] get(URI uri) throws EndorsementMissing {
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/octet-stream")
                .GET().build();
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = r.body()) {
                if (r.statusCode() != 200) {
                    throw new EndorsementMissing("KDS answered " + r.statusCode() + " for " + uri);
                }
                byte[] body = in.readNBytes(MAX_RESPONSE_BYTES + 1);
                if (body.length > MAX_RESPONSE_BYTES) {
                    throw new EndorsementMissing("KDS answer for " + uri + " is larger than " + MAX_RESPONSE_BYTES
                            + " bytes");
                }
                return body;
            }
        } catch (IOException e) {
            throw new EndorsementMissing("KDS fetch " + uri + " failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndorsementMissing("KDS fetch " + uri + " interrupted");
        }
    }
}
