package io.cocoplane.katasim;

import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.initdata.InitDataException;
import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.InvalidResourcePathException;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.KbsClientException;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.ocicrypt.KbsResourceUri;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;

/**
 * One start attempt of a pod on the simulated node — a fresh guest: sandbox from the init-data
 * ({@link GuestSandbox}), the agent policy's {@code CreateContainerRequest} check, RCAR with the KBS named in the
 * init-data using {@code sample} evidence and a fresh TEE key ({@link KbsClient}), then the guest pull of each
 * container image ({@link ImagePuller}) with KEKs fetched over the attested session.
 */
final class GuestRun {

    /**
     * A container ready to run.
     *
     * @param name           container name
     * @param image          image as in the pod spec
     * @param manifestDigest the manifest digest that was pulled
     */
    record StartedContainer(String name, String image, String manifestDigest) {
    }

    private static final Logger log = LoggerFactory.getLogger(GuestRun.class);

    private final KataNodeConfig config;
    private final HttpClient registryHttp;
    private final Pod pod;
    private final PodRef ref;
    private final TamperMode tamper;
    private final Counters counters;
    private HttpClient kbsHttp;

    GuestRun(KataNodeConfig config, HttpClient registryHttp, Pod pod, TamperMode tamper, Counters counters) {
        this.config = config;
        this.registryHttp = registryHttp;
        this.pod = pod;
        this.ref = PodRef.of(pod);
        this.tamper = tamper;
        this.counters = counters;
    }

    /**
     * Runs the attempt.
     *
     * @return the started containers, in pod-spec order
     * @throws GuestFailure         the failure, staged and worded as Kata reports it
     * @throws InterruptedException when the attempt is cancelled (pod deleted, timeout, shutdown)
     */
    List<StartedContainer> run() throws GuestFailure, InterruptedException {
        try {
            return runInSandbox();
        } finally {
            if (kbsHttp != null) {
                kbsHttp.shutdownNow(); // one guest, one client: release its selector thread now
            }
        }
    }

    private List<StartedContainer> runInSandbox() throws GuestFailure, InterruptedException {
        GuestSandbox sandbox = GuestSandbox.create(pod, config.initDataAnnotationKey());
        List<Container> containers = pod.getSpec().getContainers();
        if (containers == null || containers.isEmpty()) {
            throw GuestFailure.container("pod has no containers", null);
        }
        Map<String, ImageRef> images = new LinkedHashMap<>();
        for (Container c : containers) {
            Optional<String> denial = AgentPolicyText.createContainerDenial(sandbox.policyRego(), c.getImage());
            if (denial.isPresent()) {
                throw GuestFailure.container(denial.get(), null);
            }
            try {
                images.put(c.getName(), ImageRef.parse(c.getImage()));
            } catch (IllegalArgumentException e) {
                throw GuestFailure.container("failed to pull image \"" + c.getImage() + "\": " + e.getMessage(), e);
            }
        }
        checkInterrupt();
        KbsClient kbs = attest(sandbox);
        Map<String, byte[]> keks = new HashMap<>();
        ImagePuller puller = new ImagePuller(new RegistryClient(registryHttp, config), config,
                kid -> fetchKek(kbs, keks, kid), ref, counters);
        Map<ImageRef, String> pulled = new HashMap<>();
        List<StartedContainer> out = new java.util.ArrayList<>();
        try {
            for (Container c : containers) {
                ImageRef image = images.get(c.getName());
                String digest = pulled.get(image);
                if (digest == null) {
                    digest = puller.pull(image);
                    pulled.put(image, digest);
                }
                out.add(new StartedContainer(c.getName(), c.getImage(), digest));
            }
        } finally {
            keks.values().forEach(k -> java.util.Arrays.fill(k, (byte) 0));
        }
        return out;
    }

    private KbsClient attest(GuestSandbox sandbox) throws GuestFailure, InterruptedException {
        if (sandbox.kbsUrl() == null) {
            throw GuestFailure.container("attestation failed: the init-data names no KBS (aa.toml "
                    + "[token_configs.kbs] url, cdh.toml [kbc] url)", null);
        }
        URI kbsUri;
        HttpClient http;
        try {
            kbsUri = Transport.checkScheme(URI.create(sandbox.kbsUrl()), config.allowPlainHttpToLoopback(), "KBS");
            http = Transport.httpClient(config.requestTimeout(), sandbox.kbsCertPem());
            kbsHttp = http;
        } catch (IllegalArgumentException e) {
            throw GuestFailure.container("attestation failed: " + e.getMessage(), e);
        }
        InitDataDocument sent = sandbox.document();
        String launchDigest = null;
        if (tamper == TamperMode.WRONG_INIT_DATA) {
            sent = tamperedInitData(sandbox.document());
            log.warn("pod {}: TAMPERING (WRONG_INIT_DATA): attesting with init-data {} instead of the annotation's {}",
                    ref, sent.digest(), sandbox.document().digest());
        } else if (tamper == TamperMode.WRONG_MEASUREMENT) {
            launchDigest = TamperMode.WRONG_LAUNCH_DIGEST;
            log.warn("pod {}: TAMPERING (WRONG_MEASUREMENT): sample evidence reports launch_digest {}", ref,
                    launchDigest);
        }
        KbsClient client;
        try {
            client = KbsClient.builder(kbsUri, new SampleGuestEvidence(config.sampleSvn(), sent.digest().hex(),
                            launchDigest))
                    .httpClient(http)
                    .timeout(config.requestTimeout())
                    .initData(new InitData(InitData.FORMAT_TOML, sent.text()))
                    .build();
            client.attest();
        } catch (KbsClientException e) {
            checkInterrupt();
            throw GuestFailure.container("attestation failed: RCAR handshake with " + kbsUri + " failed: "
                    + e.getMessage(), e);
        }
        counters.attestations.increment();
        log.info("pod {}: attested to {} (tee sample, init-data {})", ref, kbsUri, sent.digest());
        return client;
    }

    private byte[] fetchKek(KbsClient kbs, Map<String, byte[]> cache, String kid)
            throws GuestFailure, InterruptedException {
        byte[] cached = cache.get(kid);
        if (cached != null) {
            return cached.clone();
        }
        ResourcePath path;
        try {
            KbsResourceUri uri = KbsResourceUri.parse(kid).orElseThrow(() ->
                    new IllegalArgumentException("key id " + kid + " is not a KBS resource URI"));
            path = ResourcePath.parse(uri.resourcePath());
        } catch (IllegalArgumentException | InvalidResourcePathException e) {
            throw GuestFailure.container(ImagePuller.DECRYPT_FAILED + ": " + e.getMessage(), e);
        }
        checkInterrupt();
        byte[] kek;
        try {
            kek = kbs.getResource(path);
        } catch (KbsClientException e) {
            checkInterrupt();
            throw GuestFailure.container(ImagePuller.DECRYPT_FAILED + ": KBS refused key " + kid + ": "
                    + e.getMessage(), e);
        }
        counters.keysFetched.increment();
        log.info("pod {}: key fetched by id {} ({} bytes)", ref, kid, kek.length);
        cache.put(kid, kek);
        return kek.clone();
    }

    /**
     * The {@link TamperMode#WRONG_INIT_DATA} document: the annotation's bytes with one byte changed (a trailing newline
     * becomes a space) or, when the text does not end with a newline, one newline appended; still valid init-data.
     *
     * @param original the annotation's document
     * @return a document whose digest differs
     */
    static InitDataDocument tamperedInitData(InitDataDocument original) {
        byte[] b = original.bytes();
        byte[] t;
        if (b.length > 0 && b[b.length - 1] == '\n') {
            t = b.clone();
            t[t.length - 1] = ' ';
        } else {
            t = java.util.Arrays.copyOf(b, b.length + 1);
            t[b.length] = '\n';
        }
        try {
            return InitDataDocument.parse(t);
        } catch (InitDataException e) {
            byte[] comment = "\n# tampered by kata-sim\n".getBytes(StandardCharsets.UTF_8);
            byte[] c = java.util.Arrays.copyOf(b, b.length + comment.length);
            System.arraycopy(comment, 0, c, b.length, comment.length);
            return InitDataDocument.parse(c);
        }
    }

    private static void checkInterrupt() throws InterruptedException {
        if (Thread.interrupted()) {
            throw new InterruptedException("attempt cancelled");
        }
    }
}
