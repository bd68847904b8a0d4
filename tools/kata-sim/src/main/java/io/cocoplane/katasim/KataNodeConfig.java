package io.cocoplane.katasim;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

import io.cocoplane.initdata.InitDataAnnotation;

/**
 * Configuration of a {@link KataNodeSimulator}. Build it with {@link #builder(Path)}; every field has a default except
 * the work directory.
 *
 * @param namespaces               namespaces whose pods are watched (1..64 DNS labels; default {@code default})
 * @param kataRuntimeClasses       runtime class names that count as Kata, matched in full (default {@code kata.*})
 * @param initDataAnnotationKey    pod annotation carrying init-data (default {@value InitDataAnnotation#KEY})
 * @param registryAuth             how pulls authenticate (default {@link RegistryAuth#none()})
 * @param allowPlainHttpToLoopback development switch: plain {@code http} to loopback hosts (registry, token endpoint,
 *                                 KBS) instead of TLS; logged at WARN when on (default off)
 * @param tamperPolicy             per-pod tampering for the demo's denial paths (default {@link TamperPolicy#none()})
 * @param requestTimeout           timeout of each HTTP request (registry, token endpoint, KBS), 1 s..10 min
 *                                 (default 30 s)
 * @param attemptTimeout           bound of one start attempt (sandbox, attestation, pull and decryption), like the
 *                                 kubelet's 2-minute {@code runtimeRequestTimeout}; 1 s..1 h (default 2 min)
 * @param maxAttempts              start attempts per pod before giving up, 1..100 (default 5)
 * @param initialBackoff           pause after the first failed attempt, doubled after each further one, 10 ms..1 h
 *                                 (default 10 s, as the kubelet)
 * @param maxBackoff               longest pause, at least {@code initialBackoff}, at most 1 h (default 5 min)
 * @param workDir                  directory for layer scratch files (created owner-only when missing)
 * @param maxLayers                most layers per image, 1..1024 (default 128)
 * @param maxLayerBytes            largest layer blob (descriptor size) in bytes, 1..2^40 (default 4 GiB)
 * @param maxUnpackedLayerBytes    largest uncompressed layer in bytes, 1..2^42 (default 16 GiB); guards against
 *                                 decompression bombs
 * @param workers                  threads that run attempts, 1..32 (default 2)
 * @param nodeName                 node name in events and status (default {@code kata-sim})
 * @param hostIp                   {@code status.hostIP} (default {@code 127.0.0.1})
 * @param sampleSvn                {@code svn} of the sample evidence, 1..32 characters (default {@code 1})
 * @param platform                 {@code os/arch} chosen from an image index (default {@code linux/amd64})
 */
public record KataNodeConfig(List<String> namespaces, Pattern kataRuntimeClasses, String initDataAnnotationKey,
                             RegistryAuth registryAuth, boolean allowPlainHttpToLoopback, TamperPolicy tamperPolicy,
                             Duration requestTimeout, Duration attemptTimeout, int maxAttempts,
                             Duration initialBackoff, Duration maxBackoff, Path workDir, int maxLayers,
                             long maxLayerBytes, long maxUnpackedLayerBytes, int workers, String nodeName,
                             String hostIp, String sampleSvn, String platform) {

    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ANNOTATION_KEY = Pattern.compile(
            "([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]{1,32}/[a-z0-9]{1,32}");

    /**
     * Validates every field.
     *
     * @throws NullPointerException     when a field is null
     * @throws IllegalArgumentException when a field is out of its range, a namespace is not a DNS label, or the token
     *                                  endpoint is plain http to a non-loopback host or without the development switch
     */
    public KataNodeConfig {
        namespaces = List.copyOf(Objects.requireNonNull(namespaces, "namespaces"));
        if (namespaces.isEmpty() || namespaces.size() > 64) {
            throw new IllegalArgumentException("1..64 namespaces required");
        }
        for (String ns : namespaces) {
            if (!DNS_LABEL.matcher(ns).matches()) {
                throw new IllegalArgumentException("namespace is not a DNS label: " + ns);
            }
        }
        if (namespaces.stream().distinct().count() != namespaces.size()) {
            throw new IllegalArgumentException("namespaces must be distinct: " + namespaces);
        }
        Objects.requireNonNull(kataRuntimeClasses, "kataRuntimeClasses");
        Objects.requireNonNull(initDataAnnotationKey, "initDataAnnotationKey");
        if (!ANNOTATION_KEY.matcher(initDataAnnotationKey).matches()) {
            throw new IllegalArgumentException("not an annotation key: " + initDataAnnotationKey);
        }
        Objects.requireNonNull(registryAuth, "registryAuth");
        if (registryAuth instanceof RegistryAuth.TokenEndpoint t) {
            Transport.checkScheme(t.endpoint(), allowPlainHttpToLoopback, "registry token endpoint");
        }
        Objects.requireNonNull(tamperPolicy, "tamperPolicy");
        range("requestTimeout", requestTimeout, Duration.ofSeconds(1), Duration.ofMinutes(10));
        range("attemptTimeout", attemptTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
        range("initialBackoff", initialBackoff, Duration.ofMillis(10), Duration.ofHours(1));
        range("maxBackoff", maxBackoff, initialBackoff, Duration.ofHours(1));
        if (maxAttempts < 1 || maxAttempts > 100) {
            throw new IllegalArgumentException("maxAttempts must be 1..100");
        }
        Objects.requireNonNull(workDir, "workDir");
        if (maxLayers < 1 || maxLayers > 1024) {
            throw new IllegalArgumentException("maxLayers must be 1..1024");
        }
        if (maxLayerBytes < 1 || maxLayerBytes > (1L << 40)) {
            throw new IllegalArgumentException("maxLayerBytes must be 1..2^40");
        }
        if (maxUnpackedLayerBytes < 1 || maxUnpackedLayerBytes > (1L << 42)) {
            throw new IllegalArgumentException("maxUnpackedLayerBytes must be 1..2^42");
        }
        if (workers < 1 || workers > 32) {
            throw new IllegalArgumentException("workers must be 1..32");
        }
        Objects.requireNonNull(nodeName, "nodeName");
        if (!DNS_LABEL.matcher(nodeName).matches()) {
            throw new IllegalArgumentException("nodeName is not a DNS label: " + nodeName);
        }
        Objects.requireNonNull(hostIp, "hostIp");
        Objects.requireNonNull(sampleSvn, "sampleSvn");
        if (sampleSvn.isEmpty() || sampleSvn.length() > 32) {
            throw new IllegalArgumentException("sampleSvn must be 1..32 characters");
        }
        Objects.requireNonNull(platform, "platform");
        if (!PLATFORM.matcher(platform).matches()) {
            throw new IllegalArgumentException("platform must be os/arch, e.g. linux/amd64: " + platform);
        }
    }

    private static void range(String name, Duration d, Duration min, Duration max) {
        Objects.requireNonNull(d, name);
        if (d.compareTo(min) < 0 || d.compareTo(max) > 0) {
            throw new IllegalArgumentException(name + " must be in [" + min + ", " + max + "], got " + d);
        }
    }

    /**
     * @param runtimeClassName a pod's {@code spec.runtimeClassName}, may be null
     * @return whether it names a Kata runtime class
     */
    public boolean isKata(String runtimeClassName) {
        return runtimeClassName != null && kataRuntimeClasses.matcher(runtimeClassName).matches();
    }

    /**
     * @param attempt the attempt that just failed, 1-based
     * @return the pause before the next attempt: {@code initialBackoff * 2^(attempt-1)}, at most {@code maxBackoff}
     */
    public Duration backoffAfter(int attempt) {
        Duration d = initialBackoff;
        for (int i = 1; i < attempt && d.compareTo(maxBackoff) < 0; i++) {
            d = d.multipliedBy(2);
        }
        return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
    }

    /**
     * @param workDir the scratch directory
     * @return a builder with every default
     */
    public static Builder builder(Path workDir) {
        return new Builder(workDir);
    }

    /** Builder of a {@link KataNodeConfig}; not thread-safe. Validation happens in {@link #build()}. */
    public static final class Builder {
        private List<String> namespaces = List.of("default");
        private Pattern kataRuntimeClasses = Pattern.compile("kata.*");
        private String initDataAnnotationKey = InitDataAnnotation.KEY;
        private RegistryAuth registryAuth = RegistryAuth.none();
        private boolean allowPlainHttpToLoopback;
        private TamperPolicy tamperPolicy = TamperPolicy.none();
        private Duration requestTimeout = Duration.ofSeconds(30);
        private Duration attemptTimeout = Duration.ofMinutes(2);
        private int maxAttempts = 5;
        private Duration initialBackoff = Duration.ofSeconds(10);
        private Duration maxBackoff = Duration.ofMinutes(5);
        private final Path workDir;
        private int maxLayers = 128;
        private long maxLayerBytes = 4L << 30;
        private long maxUnpackedLayerBytes = 16L << 30;
        private int workers = 2;
        private String nodeName = "kata-sim";
        private String hostIp = "127.0.0.1";
        private String sampleSvn = "1";
        private String platform = "linux/amd64";

        private Builder(Path workDir) {
            this.workDir = workDir;
        }

        /** @param v namespaces to watch @return this */
        public Builder namespaces(List<String> v) {
            this.namespaces = v;
            return this;
        }

        /** @param v regular expression matched against the whole runtime class name @return this */
        public Builder kataRuntimeClasses(Pattern v) {
            this.kataRuntimeClasses = v;
            return this;
        }

        /** @param v init-data annotation key @return this */
        public Builder initDataAnnotationKey(String v) {
            this.initDataAnnotationKey = v;
            return this;
        }

        /** @param v registry authentication @return this */
        public Builder registryAuth(RegistryAuth v) {
            this.registryAuth = v;
            return this;
        }

        /** @param v the development switch for plain http to loopback hosts @return this */
        public Builder allowPlainHttpToLoopback(boolean v) {
            this.allowPlainHttpToLoopback = v;
            return this;
        }

        /** @param v the tamper policy @return this */
        public Builder tamperPolicy(TamperPolicy v) {
            this.tamperPolicy = v;
            return this;
        }

        /** @param v per-request HTTP timeout @return this */
        public Builder requestTimeout(Duration v) {
            this.requestTimeout = v;
            return this;
        }

        /** @param v bound of one start attempt @return this */
        public Builder attemptTimeout(Duration v) {
            this.attemptTimeout = v;
            return this;
        }

        /** @param v attempts per pod @return this */
        public Builder maxAttempts(int v) {
            this.maxAttempts = v;
            return this;
        }

        /** @param initial first pause @param max longest pause @return this */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        /** @param v most layers per image @return this */
        public Builder maxLayers(int v) {
            this.maxLayers = v;
            return this;
        }

        /** @param v largest layer blob in bytes @return this */
        public Builder maxLayerBytes(long v) {
            this.maxLayerBytes = v;
            return this;
        }

        /** @param v largest uncompressed layer in bytes @return this */
        public Builder maxUnpackedLayerBytes(long v) {
            this.maxUnpackedLayerBytes = v;
            return this;
        }

        /** @param v worker threads @return this */
        public Builder workers(int v) {
            this.workers = v;
            return this;
        }

        /** @param v node name @return this */
        public Builder nodeName(String v) {
            this.nodeName = v;
            return this;
        }

        /** @param v host IP @return this */
        public Builder hostIp(String v) {
            this.hostIp = v;
            return this;
        }

        /** @param v sample evidence svn @return this */
        public Builder sampleSvn(String v) {
            this.sampleSvn = v;
            return this;
        }

        /** @param v os/arch chosen from image indexes @return this */
        public Builder platform(String v) {
            this.platform = v;
            return this;
        }

        /**
         * @return the configuration
         * @throws NullPointerException     when a field is null
         * @throws IllegalArgumentException when a field is invalid (see the record constructor)
         */
        public KataNodeConfig build() {
            return new KataNodeConfig(namespaces, kataRuntimeClasses, initDataAnnotationKey, registryAuth,
                    allowPlainHttpToLoopback, tamperPolicy, requestTimeout, attemptTimeout, maxAttempts,
                    initialBackoff, maxBackoff, workDir, maxLayers, maxLayerBytes, maxUnpackedLayerBytes, workers,
                    nodeName, hostIp, sampleSvn, platform);
        }
    }
}
