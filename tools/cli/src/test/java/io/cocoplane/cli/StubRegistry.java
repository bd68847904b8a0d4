package io.cocoplane.cli;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A minimal OCI distribution registry on a {@link StubServer}: blobs and manifests in memory, monolithic push
 * (POST + PUT with digest check), and Docker token auth: every request without {@code Bearer <token>} gets 401
 * with a Bearer challenge naming the gateway's {@code /auth/token}.
 */
final class StubRegistry implements AutoCloseable {

    static final Pattern BLOB = Pattern.compile("/v2/(.+)/blobs/(sha256:[a-f0-9]{64})");
    static final Pattern MANIFEST = Pattern.compile("/v2/(.+)/manifests/([^/]+)");
    static final Pattern UPLOAD = Pattern.compile("/v2/(.+)/blobs/uploads/([a-f0-9-]*)");

    final StubServer server;
    final Map<String, byte[]> blobs = new ConcurrentHashMap<>();
    /** repository:reference → manifest; also repository@digest. */
    final Map<String, byte[]> manifests = new ConcurrentHashMap<>();
    final Map<String, String> manifestTypes = new ConcurrentHashMap<>();
    final String token;

    StubRegistry(String realm, String token) throws Exception {
        this.server = new StubServer();
        this.token = token;
        StubServer.Response unauthorized = new StubServer.Response(401, "application/json",
                "{\"errors\":[{\"code\":\"UNAUTHORIZED\",\"message\":\"authentication required\"}]}".getBytes(),
                Map.of("WWW-Authenticate", "Bearer realm=\"" + realm + "\",service=\"cocoplane-registry\""));
        server.on("HEAD", BLOB.pattern(), r -> {
            if (!authorized(r)) {
                return unauthorized;
            }
            Matcher m = BLOB.matcher(r.path());
            m.matches();
            byte[] b = blobs.get(m.group(2));
            return b == null ? StubServer.Response.empty(404, Map.of())
                    : StubServer.Response.empty(200, Map.of("Docker-Content-Digest", m.group(2)));
        });
        server.on("GET", BLOB.pattern(), r -> {
            if (!authorized(r)) {
                return unauthorized;
            }
            Matcher m = BLOB.matcher(r.path());
            m.matches();
            byte[] b = blobs.get(m.group(2));
            return b == null ? StubServer.Response.json(404, "{\"errors\":[{\"code\":\"BLOB_UNKNOWN\"}]}")
                    : new StubServer.Response(200, "application/octet-stream", b, Map.of());
        });
        server.on("POST", "/v2/.+/blobs/uploads/", r -> {
            if (!authorized(r)) {
                return unauthorized;
            }
            String name = r.path().substring(4, r.path().length() - "/blobs/uploads/".length());
            return StubServer.Response.empty(202, Map.of("Location", "/v2/" + name + "/blobs/uploads/"
                    + UUID.randomUUID() + "?_state=abc"));
        });
        server.on("PUT", UPLOAD.pattern(), r -> {
            if (!authorized(r)) {
                return unauthorized;
            }
            String digest = r.param("digest");
            if (!"abc".equals(r.param("_state")) || digest == null || !Digests.of(r.body()).equals(digest)) {
                return StubServer.Response.json(400, "{\"errors\":[{\"code\":\"DIGEST_INVALID\"}]}");
            }
            blobs.put(digest, r.body());
            return StubServer.Response.empty(201, Map.of("Location", "/v2/x/blobs/" + digest));
        });
        server.on("PUT", MANIFEST.pattern(), r -> {
            if (!authorized(r)) {
                return unauthorized;
            }
            Matcher m = MANIFEST.matcher(r.path());
            m.matches();
            String digest = Digests.of(r.body());
            manifests.put(m.group(1) + ":" + m.group(2), r.body());
            manifests.put(m.group(1) + "@" + digest, r.body());
            manifestTypes.put(digest, r.header("Content-Type"));
            return StubServer.Response.empty(201, Map.of("Docker-Content-Digest", digest));
        });
        server.on("GET", MANIFEST.pattern(), r -> {
            if (!authorized(r)) {
                return unauthorized;
            }
            Matcher m = MANIFEST.matcher(r.path());
            m.matches();
            String ref = m.group(2);
            byte[] b = manifests.get(m.group(1) + (ref.startsWith("sha256:") ? "@" : ":") + ref);
            if (b == null) {
                return StubServer.Response.json(404, "{\"errors\":[{\"code\":\"MANIFEST_UNKNOWN\"}]}");
            }
            return new StubServer.Response(200, manifestTypes.get(Digests.of(b)), b,
                    Map.of("Docker-Content-Digest", Digests.of(b)));
        });
    }

    private boolean authorized(StubServer.Request r) {
        return ("Bearer " + token).equals(r.header("Authorization"));
    }

    void put(String repository, String tag, TestImages.Image image, String manifestType) {
        for (byte[] l : image.layers()) {
            blobs.put(Digests.of(l), l);
        }
        blobs.put(image.configDigest(), image.config());
        manifests.put(repository + ":" + tag, image.manifest());
        manifests.put(repository + "@" + image.manifestDigest(), image.manifest());
        manifestTypes.put(image.manifestDigest(), manifestType);
    }

    String host() {
        return server.hostPort();
    }

    @Override
    public void close() {
        server.close();
    }
}
