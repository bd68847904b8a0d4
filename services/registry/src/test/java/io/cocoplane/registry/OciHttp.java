package io.cocoplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** A small OCI Distribution client over {@link HttpClient}, for tests. */
public final class OciHttp {

    static final JsonMapper JSON = JsonMapper.builder().build();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    private final String base;
    private String bearer;

    OciHttp(String base) {
        this.base = base;
    }

    OciHttp withToken(String token) {
        OciHttp o = new OciHttp(base);
        o.bearer = token;
        return o;
    }

    String base() {
        return base;
    }

    HttpResponse<byte[]> send(String method, String pathOrUrl, byte[] body, String... headers) {
        String url = pathOrUrl.startsWith("http") ? pathOrUrl : base + pathOrUrl;
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    HttpResponse<byte[]> get(String path, String... headers) {
        return send("GET", path, null, headers);
    }

    HttpResponse<byte[]> head(String path) {
        return send("HEAD", path, null);
    }

    /** Monolithic single-POST push; asserts 201. @return the digest */
    String pushBlob(String repo, byte[] content) {
        String digest = sha256(content);
        HttpResponse<byte[]> r = send("POST", "/v2/" + repo + "/blobs/uploads/?digest=" + digest, content,
                "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        return digest;
    }

    HttpResponse<byte[]> putManifest(String repo, String reference, byte[] manifest, String mediaType) {
        return send("PUT", "/v2/" + repo + "/manifests/" + reference, manifest, "Content-Type", mediaType);
    }

    /** Puts a manifest, asserting 201. @return its digest */
    String pushManifest(String repo, String reference, byte[] manifest, String mediaType) {
        HttpResponse<byte[]> r = putManifest(repo, reference, manifest, mediaType);
        assertThat(r.statusCode()).as(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(201);
        assertThat(r.headers().firstValue("Docker-Content-Digest")).hasValue(sha256(manifest));
        return sha256(manifest);
    }

    static String sha256(byte[] b) {
        try {
            return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<byte[]> r) {
        return JSON.readTree(r.body());
    }

    /** @return the first error code of an OCI error body */
    static String errorCode(HttpResponse<byte[]> r) {
        return json(r).get("errors").get(0).get("code").asString();
    }

    static java.util.List<String> strings(JsonNode array) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (array != null) {
            array.forEach(n -> out.add(n.asString()));
        }
        return out;
    }

    static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse(null);
    }

    /** An OCI image manifest with the given config and layers (digest,size pairs), compact JSON. */
    static byte[] imageManifest(String configDigest, long configSize, String configMediaType, String... layers) {
        StringBuilder sb = new StringBuilder("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
                + "\"config\":{\"mediaType\":\"" + configMediaType + "\",\"digest\":\"" + configDigest + "\",\"size\":"
                + configSize + "},\"layers\":[");
        for (int i = 0; i < layers.length; i += 2) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append("{\"mediaType\":\"application/vnd.oci.image.layer.v1.tar+gzip\",\"digest\":\"").append(layers[i])
                    .append("\",\"size\":").append(layers[i + 1]).append('}');
        }
        return sb.append("]}").toString().getBytes(StandardCharsets.UTF_8);
    }

    static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
    static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
    static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
}
