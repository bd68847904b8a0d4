package io.cocoplane.katasim;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cocoplane.ocicrypt.MalformedAnnotationException;
import io.cocoplane.ocicrypt.ManifestInspector;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptLayers;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An OCI Distribution client for pulling one image by digest, as the guest's image-rs does (registry note §1, §2):
 * {@code GET /v2/<name>/manifests/<digest>} (an index is resolved to the configured platform) and
 * {@code GET /v2/<name>/blobs/<digest>}, every body checked against its digest. A {@code 401} with a {@code Bearer}
 * challenge is answered with a token from the configured {@link RegistryAuth.TokenEndpoint} (scope
 * {@code repository:<name>:pull}, the challenge's {@code service}); tokens are kept per repository for the life of
 * this client (one start attempt). Plain {@code http} is used only for loopback registries under the development
 * switch; otherwise {@code https}.
 *
 * <p>Not thread-safe: one client per attempt.
 */
final class RegistryClient {

    /** Largest config blob, in bytes. */
    static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;
    /** Largest token-endpoint response, in bytes. */
    static final int MAX_TOKEN_RESPONSE_BYTES = 64 * 1024;
    /** Longest accepted token, in characters. */
    static final int MAX_TOKEN_CHARS = 16 * 1024;

    private static final String ACCEPT = String.join(", ", OciMediaTypes.OCI_MANIFEST, OciMediaTypes.OCI_INDEX,
            OciMediaTypes.DOCKER_MANIFEST, OciMediaTypes.DOCKER_MANIFEST_LIST);
    private static final Pattern CHALLENGE_PARAM = Pattern.compile("([A-Za-z_]+)=\"([^\"]*)\"");
    private static final JsonMapper JSON = JsonMapper.builder().build();

    /**
     * A content descriptor from a manifest.
     *
     * @param mediaType   media type
     * @param digest      {@code sha256:...} / {@code sha512:...}
     * @param size        size in bytes
     * @param annotations annotations (insertion-ordered, unmodifiable)
     */
    record Descriptor(String mediaType, String digest, long size, Map<String, String> annotations) {
    }

    /**
     * An image manifest after index resolution.
     *
     * @param digest the manifest's own digest
     * @param config the config descriptor
     * @param layers the layer descriptors, in order
     */
    record Manifest(String digest, Descriptor config, List<Descriptor> layers) {
    }

    private final HttpClient http;
    private final Duration timeout;
    private final RegistryAuth auth;
    private final boolean plainHttpToLoopback;
    private final Map<String, String> tokens = new HashMap<>();

    RegistryClient(HttpClient http, KataNodeConfig config) {
        this.http = http;
        this.timeout = config.requestTimeout();
        this.auth = config.registryAuth();
        this.plainHttpToLoopback = config.allowPlainHttpToLoopback();
    }

    /**
     * Fetches the image manifest, resolving an index to {@code platform}.
     *
     * @param ref       the image
     * @param platform  {@code os/arch}
     * @param maxLayers most layers accepted
     * @param maxLayerBytes largest layer size accepted
     * @return the manifest
     * @throws PullException        on HTTP errors, digest mismatch, oversize or malformed manifests, no matching
     *                              platform, too many or too large layers
     * @throws InterruptedException when interrupted
     */
    Manifest manifest(ImageRef ref, String platform, int maxLayers, long maxLayerBytes)
            throws PullException, InterruptedException {
        byte[] bytes = fetchManifest(ref, ref.digest());
        JsonNode root = parse(bytes, "manifest " + ref.digest());
        String digest = ref.digest();
        if (isIndex(root)) {
            digest = choosePlatform(root, platform, ref);
            bytes = fetchManifest(ref, digest);
            root = parse(bytes, "manifest " + digest);
            if (isIndex(root)) {
                throw new PullException("manifest " + digest + " of the index is itself an index");
            }
        }
        try {
            ManifestInspector.inspect(bytes);
        } catch (MalformedAnnotationException e) {
            throw new PullException("invalid manifest " + digest + ": " + e.getMessage(), e);
        }
        Descriptor config = descriptor(root.path("config"), "config");
        JsonNode layers = root.path("layers");
        if (layers.size() > maxLayers) {
            throw new PullException("image has " + layers.size() + " layers, limit " + maxLayers);
        }
        List<Descriptor> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            Descriptor d = descriptor(layers.get(i), "layers[" + i + "]");
            if (d.size() > maxLayerBytes) {
                throw new PullException("layer " + i + " is " + d.size() + " bytes, limit " + maxLayerBytes);
            }
            out.add(d);
        }
        return new Manifest(digest, config, List.copyOf(out));
    }

    /**
     * Fetches a small blob (the config) whole, checking size and digest.
     *
     * @param ref      the image (for the repository)
     * @param d        the descriptor
     * @param maxBytes largest accepted size
     * @return the blob bytes
     * @throws PullException        on HTTP errors, a size above {@code maxBytes} or different from the descriptor, or a
     *                              digest mismatch
     * @throws InterruptedException when interrupted
     */
    byte[] smallBlob(ImageRef ref, Descriptor d, int maxBytes) throws PullException, InterruptedException {
        if (d.size() > maxBytes) {
            throw new PullException("blob " + d.digest() + " is " + d.size() + " bytes, limit " + maxBytes);
        }
        HttpResponse<InputStream> r = get(ref, "/blobs/" + d.digest(), "*/*");
        byte[] bytes = readLimited(r, maxBytes, "blob " + d.digest());
        if (bytes.length != d.size()) {
            throw new PullException("blob " + d.digest() + " is " + bytes.length + " bytes, descriptor says "
                    + d.size());
        }
        MessageDigest md = Digests.hashFor(d.digest());
        String actual = Digests.format(d.digest(), md.digest(bytes));
        if (!actual.equals(d.digest())) {
            throw new PullException("blob digest mismatch: got " + actual + ", expected " + d.digest());
        }
        return bytes;
    }

    /**
     * Streams a blob into {@code file} (which must exist and is overwritten), checking size and digest; nothing is held
     * in memory beyond one buffer.
     *
     * @param ref  the image (for the repository)
     * @param d    the descriptor
     * @param file the destination
     * @throws PullException        on HTTP or I/O errors, a size different from the descriptor, or a digest mismatch
     * @throws InterruptedException when interrupted
     */
    void blobToFile(ImageRef ref, Descriptor d, Path file) throws PullException, InterruptedException {
        HttpResponse<InputStream> r = get(ref, "/blobs/" + d.digest(), "*/*");
        MessageDigest md = Digests.hashFor(d.digest());
        long count = 0;
        try (InputStream in = r.body(); OutputStream out = Files.newOutputStream(file)) {
            byte[] buf = new byte[64 * 1024];
            int n;
            while ((n = in.read(buf)) >= 0) {
                count += n;
                if (count > d.size()) {
                    throw new PullException("blob " + d.digest() + " is longer than its descriptor size " + d.size());
                }
                md.update(buf, 0, n);
                out.write(buf, 0, n);
                if (Thread.interrupted()) {
                    throw new InterruptedException("blob download interrupted");
                }
            }
        } catch (IOException e) {
            throw new PullException("reading blob " + d.digest() + ": " + e, e);
        }
        if (count != d.size()) {
            throw new PullException("blob " + d.digest() + " ended after " + count + " bytes, descriptor size "
                    + d.size());
        }
        String actual = Digests.format(d.digest(), md.digest());
        if (!actual.equals(d.digest())) {
            throw new PullException("blob digest mismatch: got " + actual + ", expected " + d.digest());
        }
    }

    private byte[] fetchManifest(ImageRef ref, String digest) throws PullException, InterruptedException {
        HttpResponse<InputStream> r = get(ref, "/manifests/" + digest, ACCEPT);
        byte[] bytes = readLimited(r, ManifestInspector.MAX_MANIFEST_BYTES, "manifest " + digest);
        String actual = Digests.format(digest, Digests.hashFor(digest).digest(bytes));
        if (!actual.equals(digest)) {
            throw new PullException("manifest digest mismatch: got " + actual + ", expected " + digest);
        }
        return bytes;
    }

    private static boolean isIndex(JsonNode root) {
        String mt = root.path("mediaType").asString("");
        return mt.equals(OciMediaTypes.OCI_INDEX) || mt.equals(OciMediaTypes.DOCKER_MANIFEST_LIST)
                || root.has("manifests");
    }

    private static String choosePlatform(JsonNode index, String platform, ImageRef ref) throws PullException {
        String[] osArch = platform.split("/", 2);
        JsonNode manifests = index.path("manifests");
        if (manifests.size() > ManifestInspector.MAX_LAYERS) {
            throw new PullException("index lists more than " + ManifestInspector.MAX_LAYERS + " manifests");
        }
        for (JsonNode m : manifests) {
            JsonNode p = m.path("platform");
            if (osArch[0].equals(p.path("os").asString("")) && osArch[1].equals(p.path("architecture").asString(""))
                    && m.path("digest").isString()) {
                String d = m.path("digest").stringValue();
                if (d.matches("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}")) {
                    return d;
                }
            }
        }
        throw new PullException("no manifest for platform " + platform + " in the index of " + ref);
    }

    private static Descriptor descriptor(JsonNode n, String what) throws PullException {
        if (!n.path("mediaType").isString() || !n.path("digest").isString() || !n.path("size").canConvertToLong()) {
            throw new PullException("manifest " + what + " lacks mediaType, digest or size");
        }
        String digest = n.path("digest").stringValue();
        if (!digest.matches("sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128}")) {
            throw new PullException("manifest " + what + " digest is not sha256/sha512: " + digest);
        }
        long size = n.path("size").longValue();
        if (size < 0) {
            throw new PullException("manifest " + what + " has a negative size");
        }
        Map<String, String> annotations = new LinkedHashMap<>();
        JsonNode a = n.path("annotations");
        if (a.isObject()) {
            if (a.size() > OcicryptLayers.MAX_ANNOTATIONS) {
                throw new PullException("manifest " + what + " has more than " + OcicryptLayers.MAX_ANNOTATIONS
                        + " annotations");
            }
            for (Map.Entry<String, JsonNode> e : a.properties()) {
                if (!e.getValue().isString()) {
                    throw new PullException("manifest " + what + " annotation " + e.getKey() + " is not a string");
                }
                annotations.put(e.getKey(), e.getValue().stringValue());
            }
        }
        return new Descriptor(n.path("mediaType").stringValue(), digest, size, Map.copyOf(annotations));
    }

    private static JsonNode parse(byte[] bytes, String what) throws PullException {
        try {
            JsonNode root = JSON.readTree(bytes);
            if (!root.isObject()) {
                throw new PullException(what + " is not a JSON object");
            }
            return root;
        } catch (JacksonException e) {
            throw new PullException(what + " is not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private URI base(ImageRef ref) {
        String scheme = plainHttpToLoopback && Transport.isLoopbackHost(ref.host()) ? "http" : "https";
        return URI.create(scheme + "://" + ref.registry());
    }

    private HttpResponse<InputStream> get(ImageRef ref, String suffix, String accept)
            throws PullException, InterruptedException {
        URI uri = base(ref).resolve("/v2/" + ref.repository() + suffix);
        HttpResponse<InputStream> r = send(uri, accept, tokens.get(ref.repository()));
        if (r.statusCode() == 401) {
            String challenge = r.headers().firstValue("www-authenticate").orElse("");
            discard(r);
            if (!(auth instanceof RegistryAuth.TokenEndpoint te)) {
                throw new PullException("Not authorized: registry " + ref.registry() + " answered 401 and no "
                        + "registry credentials are configured");
            }
            if (!challenge.regionMatches(true, 0, "Bearer ", 0, 7)) {
                throw new PullException("Not authorized: registry " + ref.registry()
                        + " does not offer Bearer token authentication");
            }
            String token = fetchToken(te, challengeParam(challenge, "service").orElse(te.defaultService()),
                    ref.repository());
            tokens.put(ref.repository(), token);
            r = send(uri, accept, token);
        }
        int status = r.statusCode();
        if (status == 200) {
            return r;
        }
        String body = new String(readQuietly(r), StandardCharsets.UTF_8);
        if (status == 401 || status == 403) {
            throw new PullException("Not authorized: registry " + ref.registry() + " refused repository:"
                    + ref.repository() + ":pull (HTTP " + status + ")");
        }
        throw new PullException("GET " + uri.getPath() + " -> HTTP " + status
                + (body.isBlank() ? "" : ": " + abbreviate(body.strip())));
    }

    private String fetchToken(RegistryAuth.TokenEndpoint te, String service, String repository)
            throws PullException, InterruptedException {
        String scope = "repository:" + repository + ":pull";
        URI uri = URI.create(te.endpoint() + "?service=" + URLEncoder.encode(service, StandardCharsets.UTF_8)
                + "&scope=" + URLEncoder.encode(scope, StandardCharsets.UTF_8));
        String basic = Base64.getEncoder().encodeToString((te.username() + ":" + te.password())
                .getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(uri).timeout(timeout).header("Authorization", "Basic " + basic)
                .header("Accept", "application/json").GET().build();
        HttpResponse<InputStream> r;
        try {
            r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new PullException("Not authorized: token endpoint " + te.endpoint() + " unreachable: " + e, e);
        }
        if (r.statusCode() != 200) {
            discard(r);
            throw new PullException("Not authorized: token endpoint " + te.endpoint() + " answered HTTP "
                    + r.statusCode() + " for " + scope);
        }
        byte[] body = readLimited(r, MAX_TOKEN_RESPONSE_BYTES, "token response");
        try {
            JsonNode json = JSON.readTree(body);
            JsonNode t = json.path("token").isString() ? json.path("token") : json.path("access_token");
            if (!t.isString() || t.stringValue().isEmpty() || t.stringValue().length() > MAX_TOKEN_CHARS
                    || !t.stringValue().matches("[\\x21-\\x7e]+")) {
                throw new PullException("Not authorized: token endpoint answered no usable token");
            }
            return t.stringValue();
        } catch (JacksonException e) {
            throw new PullException("Not authorized: token endpoint answered non-JSON", e);
        }
    }

    static Optional<String> challengeParam(String challenge, String name) {
        Matcher m = CHALLENGE_PARAM.matcher(challenge);
        while (m.find()) {
            if (m.group(1).equalsIgnoreCase(name)) {
                return Optional.of(m.group(2));
            }
        }
        return Optional.empty();
    }

    private HttpResponse<InputStream> send(URI uri, String accept, String bearer)
            throws PullException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", accept).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new PullException("GET " + uri + " timed out after " + timeout, e);
        } catch (IOException e) {
            throw new PullException("GET " + uri + ": " + e, e);
        }
    }

    private static byte[] readLimited(HttpResponse<InputStream> r, int max, String what) throws PullException {
        try (InputStream in = r.body()) {
            byte[] bytes = in.readNBytes(max + 1);
            if (bytes.length > max) {
                throw new PullException(what + " is larger than " + max + " bytes");
            }
            return bytes;
        } catch (IOException e) {
            throw new PullException("reading " + what + ": " + e, e);
        }
    }

    private static byte[] readQuietly(HttpResponse<InputStream> r) {
        try (InputStream in = r.body()) {
            return in.readNBytes(1024);
        } catch (IOException e) {
            return new byte[0];
        }
    }

    private static void discard(HttpResponse<InputStream> r) {
        readQuietly(r);
    }

    private static String abbreviate(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "..." : s;
    }
}
