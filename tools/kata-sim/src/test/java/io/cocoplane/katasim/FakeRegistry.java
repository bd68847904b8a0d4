package io.cocoplane.katasim;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import io.cocoplane.ocicrypt.OciMediaTypes;

/**
 * A minimal OCI registry on 127.0.0.1 (pull side of Distribution v1.1) with Docker token auth: every {@code /v2/}
 * request without the issued bearer token gets 401 and a {@code Bearer realm,service,scope} challenge; the token
 * endpoint {@code /auth/token} wants HTTP Basic {@link #USER}/{@link #PASSWORD} and the pull scope of a served
 * repository. Manifests and blobs are served by digest only.
 */
final class FakeRegistry implements AutoCloseable {

    static final String USER = "deployer";
    static final String PASSWORD = "s3cret-pull";
    static final String SERVICE = "test-registry";

    /** A token request as seen by the endpoint. */
    record TokenRequest(String user, String service, String scope) {
    }

    final List<TokenRequest> tokenRequests = new CopyOnWriteArrayList<>();
    final List<String> blobGets = new CopyOnWriteArrayList<>();
    private final Map<String, TestImage> images = new ConcurrentHashMap<>();
    private final Map<String, String> tokens = new ConcurrentHashMap<>(); // token -> repository
    private final HttpServer server;
    private final ExecutorService pool = Executors.newCachedThreadPool();

    FakeRegistry() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(pool);
        server.createContext("/v2/", this::registry);
        server.createContext("/auth/token", this::token);
        server.start();
    }

    void add(TestImage image) {
        images.put(image.repository, image);
    }

    /** @return {@code 127.0.0.1:<port>} */
    String host() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    URI tokenEndpoint() {
        return URI.create("http://" + host() + "/auth/token");
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdownNow();
    }

    private void registry(HttpExchange ex) throws IOException {
        try (ex) {
            String path = ex.getRequestURI().getRawPath().substring("/v2/".length());
            boolean manifest = path.contains("/manifests/");
            int cut = manifest ? path.lastIndexOf("/manifests/") : path.lastIndexOf("/blobs/");
            if (cut < 0) {
                send(ex, 404, "application/json", TestImage.utf8("{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}"));
                return;
            }
            String repo = path.substring(0, cut);
            String ref = path.substring(cut + (manifest ? "/manifests/" : "/blobs/").length());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String bearerRepo = auth != null && auth.startsWith("Bearer ") ? tokens.get(auth.substring(7)) : null;
            if (!repo.equals(bearerRepo)) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Bearer realm=\"http://" + host()
                        + "/auth/token\",service=\"" + SERVICE + "\",scope=\"repository:" + repo + ":pull\"");
                send(ex, 401, "application/json", TestImage.utf8("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"));
                return;
            }
            TestImage img = images.get(repo);
            if (img == null) {
                send(ex, 404, "application/json", TestImage.utf8("{\"errors\":[{\"code\":\"NAME_UNKNOWN\"}]}"));
                return;
            }
            if (manifest) {
                if (!ref.equals(img.digest)) {
                    send(ex, 404, "application/json", TestImage.utf8("{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}"));
                    return;
                }
                ex.getResponseHeaders().add("Docker-Content-Digest", img.digest);
                send(ex, 200, OciMediaTypes.OCI_MANIFEST, img.manifest);
                return;
            }
            byte[] blob = img.blobs.get(ref);
            if (blob == null) {
                send(ex, 404, "application/json", TestImage.utf8("{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}"));
                return;
            }
            blobGets.add(ref);
            send(ex, 200, "application/octet-stream", blob);
        }
    }

    private void token(HttpExchange ex) throws IOException {
        try (ex) {
            Map<String, String> q = query(ex.getRequestURI().getRawQuery());
            String auth = ex.getRequestHeaders().getFirst("Authorization");
            String user = null;
            if (auth != null && auth.startsWith("Basic ")) {
                String up = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8);
                if (up.equals(USER + ":" + PASSWORD)) {
                    user = USER;
                }
            }
            tokenRequests.add(new TokenRequest(user, q.get("service"), q.get("scope")));
            String scope = q.getOrDefault("scope", "");
            if (user == null || !SERVICE.equals(q.get("service")) || !scope.startsWith("repository:")
                    || !scope.endsWith(":pull")) {
                send(ex, 401, "application/json", TestImage.utf8("{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}"));
                return;
            }
            String repo = scope.substring("repository:".length(), scope.length() - ":pull".length());
            String token = UUID.randomUUID().toString();
            tokens.put(token, repo);
            send(ex, 200, "application/json", TestImage.utf8("{\"token\":\"" + token + "\",\"expires_in\":300}"));
        }
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw != null) {
            for (String kv : raw.split("&")) {
                String[] p = kv.split("=", 2);
                out.put(URLDecoder.decode(p[0], StandardCharsets.UTF_8),
                        p.length > 1 ? URLDecoder.decode(p[1], StandardCharsets.UTF_8) : "");
            }
        }
        return out;
    }

    private static void send(HttpExchange ex, int status, String type, byte[] body) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            in.readAllBytes();
        }
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            ex.getResponseBody().write(body);
        }
    }
}
