package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.cocoplane.ocicrypt.OciMediaTypes;

/**
 * An OCI Distribution v1.1 client for one repository (registry note §1.2-§1.3, §2), on {@link HttpClient}:
 * manifest GET with {@code Accept} for OCI and Docker manifests and indexes, blob GET (redirects followed by hand,
 * {@code Authorization} dropped when the host changes), blob HEAD, the two-request monolithic push (POST
 * {@code /blobs/uploads/} then PUT {@code <Location>?digest=}) and manifest PUT.
 *
 * <p>Authentication: a request answered 401 with a {@code WWW-Authenticate: Bearer realm=,service=} challenge is
 * retried once with a token for {@code repository:<name>:<actions>} obtained from the {@link TokenSource} (the
 * gateway's {@code /auth/token}); the token is then sent on every later request. The realm in the challenge is not
 * contacted: credentials go only to the gateway the user logged in to.
 */
final class RegistryClient implements ImageStore {

    /** Obtains a registry bearer token. */
    @FunctionalInterface
    interface TokenSource {
        /**
         * @param service the service named by the registry's challenge, or null
         * @param scope   {@code repository:<name>:<actions>}
         * @return the token
         */
        String token(String service, String scope);
    }

    static final String ACCEPT_MANIFESTS = String.join(", ", OciMediaTypes.OCI_MANIFEST, OciMediaTypes.OCI_INDEX,
            OciMediaTypes.DOCKER_MANIFEST, OciMediaTypes.DOCKER_MANIFEST_LIST);
    private static final Pattern PARAM = Pattern.compile("(\\w+)=\"([^\"]*)\"");
    private static final int MAX_REDIRECTS = 5;

    private final HttpClient http;
    private final ImageRef.Docker ref;
    private final URI base;
    private final Duration timeout;
    private final TokenSource tokens;
    private final String actions;
    private final Supplier<Path> tempDir;
    private String token;

    /**
     * @param http      the HTTP client (redirects not followed automatically)
     * @param ref       the repository
     * @param plainHttp use {@code http://} instead of {@code https://}
     * @param timeout   per-request timeout (blob transfers get 10 times as much)
     * @param tokens    where tokens come from
     * @param actions   {@code pull} for a source, {@code pull,push} for a destination
     */
    RegistryClient(HttpClient http, ImageRef.Docker ref, boolean plainHttp, Duration timeout, TokenSource tokens,
            String actions) {
        this.http = http;
        this.ref = ref;
        this.base = URI.create((plainHttp ? "http://" : "https://") + ref.host());
        this.timeout = timeout;
        this.tokens = tokens;
        this.actions = actions;
        this.tempDir = () -> Path.of(System.getProperty("java.io.tmpdir"));
    }

    private URI url(String path) {
        return base.resolve("/v2/" + ref.repository() + path);
    }

    @Override
    public Manifest manifest(String reference) throws IOException {
        HttpResponse<InputStream> r = send(() -> HttpRequest.newBuilder(url("/manifests/" + reference))
                .header("Accept", ACCEPT_MANIFESTS).GET(), timeout);
        byte[] body = HttpResult.readLimited(r.body(), MAX_MANIFEST_BYTES, "manifest " + reference);
        require(r, body, "GET manifest " + ref.repository() + ":" + reference);
        if (reference.startsWith("sha256:") && !Digests.of(body).equals(reference)) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "manifest " + reference
                    + " does not match its digest");
        }
        String type = r.headers().firstValue("Content-Type").orElse(null);
        String inBody = Json.text(Json.parse(body, "manifest", ExitCodes.REFUSED), "mediaType");
        return new Manifest(body, inBody != null ? inBody : type);
    }

    @Override
    public InputStream openBlob(String digest) throws IOException {
        URI target = url("/blobs/" + Digests.require(digest, "blob"));
        boolean sameHost = true;
        for (int i = 0; i <= MAX_REDIRECTS; i++) {
            URI u = target;
            HttpResponse<InputStream> r = sameHost ? send(() -> HttpRequest.newBuilder(u).GET(), timeout.multipliedBy(10))
                    : raw(HttpRequest.newBuilder(u).timeout(timeout.multipliedBy(10)).GET().build());
            int s = r.statusCode();
            if (s == 301 || s == 302 || s == 303 || s == 307 || s == 308) {
                r.body().close();
                String loc = r.headers().firstValue("Location")
                        .orElseThrow(() -> new CliException(ExitCodes.REFUSED, "redirect without Location"));
                URI next = u.resolve(loc);
                sameHost = sameHost && Objects.equals(next.getAuthority(), base.getAuthority());
                target = next;
                continue;
            }
            if (s != 200) {
                byte[] body = HttpResult.readLimited(r.body(), 64 * 1024, "blob");
                require(r, body, "GET blob " + digest);
            }
            return r.body();
        }
        throw new CliException(ExitCodes.REFUSED, "too many redirects for blob " + digest);
    }

    /** @return whether the registry already has the blob (HEAD 200) */
    boolean hasBlob(String digest) throws IOException {
        HttpResponse<InputStream> r = send(() -> HttpRequest.newBuilder(url("/blobs/" + digest))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()), timeout);
        r.body().close();
        if (r.statusCode() == 200) {
            return true;
        }
        if (r.statusCode() == 404) {
            return false;
        }
        require(r, new byte[0], "HEAD blob " + digest);
        return false;
    }

    @Override
    public void putBlob(Path file, String digest, long size) throws IOException {
        try {
            upload(digest, () -> {
                try {
                    return HttpRequest.BodyPublishers.ofFile(file);
                } catch (java.io.FileNotFoundException e) {
                    throw new IllegalStateException(e);
                }
            });
        } finally {
            Files.deleteIfExists(file);
        }
    }

    @Override
    public void putBlob(byte[] data, String digest) throws IOException {
        upload(digest, () -> HttpRequest.BodyPublishers.ofByteArray(data));
    }

    private void upload(String digest, Supplier<HttpRequest.BodyPublisher> body) throws IOException {
        if (hasBlob(digest)) {
            return;
        }
        HttpResponse<InputStream> r = send(() -> HttpRequest.newBuilder(url("/blobs/uploads/"))
                .POST(HttpRequest.BodyPublishers.noBody()), timeout);
        byte[] answer = HttpResult.readLimited(r.body(), 64 * 1024, "upload");
        if (r.statusCode() != 202 && r.statusCode() != 201) {
            require(r, answer, "POST blob upload");
            throw new CliException(ExitCodes.REFUSED, "POST blob upload: unexpected HTTP " + r.statusCode());
        }
        String loc = r.headers().firstValue("Location")
                .orElseThrow(() -> new CliException(ExitCodes.REFUSED, "upload session without Location"));
        URI session = base.resolve(loc);
        if (!Objects.equals(session.getAuthority(), base.getAuthority())) {
            throw new CliException(ExitCodes.REFUSED, "upload Location points to another host: " + session.getHost());
        }
        String sep = session.getRawQuery() == null ? "?" : "&";
        URI put = URI.create(session + sep + "digest=" + GatewayClient.enc(digest));
        HttpResponse<InputStream> p = send(() -> HttpRequest.newBuilder(put)
                .header("Content-Type", "application/octet-stream").PUT(body.get()), timeout.multipliedBy(10));
        byte[] pAnswer = HttpResult.readLimited(p.body(), 64 * 1024, "upload");
        if (p.statusCode() != 201) {
            require(p, pAnswer, "PUT blob " + digest);
            throw new CliException(ExitCodes.REFUSED, "PUT blob " + digest + ": unexpected HTTP " + p.statusCode());
        }
    }

    @Override
    public void putManifest(String reference, byte[] manifest, String mediaType) throws IOException {
        HttpResponse<InputStream> r = send(() -> HttpRequest.newBuilder(url("/manifests/" + reference))
                .header("Content-Type", mediaType).PUT(HttpRequest.BodyPublishers.ofByteArray(manifest)), timeout);
        byte[] answer = HttpResult.readLimited(r.body(), 64 * 1024, "manifest");
        require(r, answer, "PUT manifest " + ref.repository() + ":" + reference);
        String digest = r.headers().firstValue("Docker-Content-Digest").orElse(null);
        if (digest != null && !digest.equals(Digests.of(manifest))) {
            throw new CliException(ExitCodes.VERIFICATION_FAILED, "the registry stored the manifest as " + digest
                    + ", not " + Digests.of(manifest));
        }
    }

    @Override
    public Path newTempFile() throws IOException {
        return Files.createTempFile(tempDir.get(), "cococtl-", ".blob");
    }

    private void require(HttpResponse<?> r, byte[] body, String what) {
        HttpResult res = new HttpResult(r.statusCode(), r.headers(), body, what);
        if (!res.ok()) {
            throw res.failure();
        }
    }

    private HttpResponse<InputStream> send(Supplier<HttpRequest.Builder> request, Duration t) throws IOException {
        HttpRequest.Builder b = request.get().timeout(t);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpResponse<InputStream> r = raw(b.build());
        if (r.statusCode() != 401 || token != null && !insufficientScope(r)) {
            return r;
        }
        r.body().close();
        Map<String, String> challenge = bearerChallenge(r.headers().allValues("WWW-Authenticate"));
        if (challenge == null) {
            throw new CliException(ExitCodes.REFUSED, ref.host() + " asks for authentication without a Bearer "
                    + "challenge");
        }
        token = tokens.token(challenge.get("service"), "repository:" + ref.repository() + ":" + actions);
        HttpRequest.Builder again = request.get().timeout(t).header("Authorization", "Bearer " + token);
        return raw(again.build());
    }

    private static boolean insufficientScope(HttpResponse<?> r) {
        return r.headers().allValues("WWW-Authenticate").stream().anyMatch(v -> v.contains("insufficient_scope"));
    }

    static Map<String, String> bearerChallenge(List<String> headers) {
        for (String h : headers) {
            if (h.regionMatches(true, 0, "Bearer ", 0, 7)) {
                Map<String, String> params = new HashMap<>();
                Matcher m = PARAM.matcher(h.substring(7));
                while (m.find()) {
                    params.put(m.group(1).toLowerCase(java.util.Locale.ROOT), m.group(2));
                }
                return params;
            }
        }
        return null;
    }

    private HttpResponse<InputStream> raw(HttpRequest req) throws IOException {
        try {
            return http.send(req, HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw HttpResult.network(req.uri().getScheme() + "://" + req.uri().getAuthority(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NETWORK, "interrupted");
        }
    }

    @Override
    public String toString() {
        return ref.toString();
    }
}
