package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * The gateway's REST API ({@code services/gateway/README.md}) over {@link HttpClient}: every request carries
 * {@code Authorization: Bearer <token>}, where the token is either the one stored by {@code login} (or
 * {@code $COCOPLANE_TOKEN}) or one obtained with the OAuth 2.0 client credentials grant (RFC 6749 §4.4, client
 * authentication by HTTP Basic) from the stored token endpoint. Answers are read into memory up to
 * {@link #MAX_ANSWER_BYTES}; every request times out after the configured duration.
 */
final class GatewayClient {

    /** Largest answer body read from the gateway. */
    static final int MAX_ANSWER_BYTES = 16 * 1024 * 1024;

    /**
     * What to authenticate with.
     *
     * @param token        a bearer JWT, or null
     * @param clientId     OAuth client id for the client credentials grant, or null
     * @param clientSecret its secret
     * @param tokenUrl     the authorization server's token endpoint
     * @param scope        the scope to ask for, or null
     */
    record Credentials(String token, String clientId, String clientSecret, String tokenUrl, String scope) {
        boolean present() {
            return token != null || clientId != null;
        }
    }

    private final URI base;
    private final HttpClient http;
    private final Duration timeout;
    private final Credentials credentials;
    private String cachedToken;

    GatewayClient(URI base, HttpClient http, Duration timeout, Credentials credentials) {
        this.base = base;
        this.http = http;
        this.timeout = timeout;
        this.credentials = credentials;
    }

    URI base() {
        return base;
    }

    /**
     * Checks that credentials would not travel in clear text: {@code https}, or {@code http} to a loopback host, or
     * {@code http} anywhere when {@code allowInsecure} (a development setting; the caller warns).
     *
     * @return true when the URL is plain HTTP to a non-loopback host (and allowed)
     * @throws CliException ({@link ExitCodes#USAGE}) when the URL is not absolute http(s), or plain HTTP to another
     *                      host without {@code allowInsecure}
     */
    static boolean checkTransport(URI url, boolean allowInsecure, String what) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http") || url.getHost() == null) {
            throw new CliException(ExitCodes.USAGE, what + " must be an absolute http(s) URL: " + url);
        }
        if (scheme.equals("https") || isLoopback(url.getHost())) {
            return false;
        }
        if (!allowInsecure) {
            throw new CliException(ExitCodes.USAGE, "refusing to send credentials in clear text to " + url
                    + "; use https (or --allow-insecure-http for a development setup)");
        }
        return true;
    }

    static boolean isLoopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        return h.equalsIgnoreCase("localhost") || h.startsWith("127.") || h.equals("::1");
    }

    /** GET and parse the JSON answer; fails on non-2xx. */
    JsonNode getJson(String pathAndQuery) {
        return exchange("GET", pathAndQuery, null, null, Map.of()).require().json();
    }

    /** GET as bytes; fails on non-2xx. */
    HttpResult get(String pathAndQuery) {
        return exchange("GET", pathAndQuery, null, null, Map.of()).require();
    }

    /**
     * Sends a request with the bearer token.
     *
     * @param method      HTTP method
     * @param pathAndQuery path under the gateway base, starting with {@code /} (already encoded)
     * @param body        body bytes or null
     * @param contentType body content type or null
     * @param headers     extra headers
     * @return the answer (any status)
     * @throws CliException ({@link ExitCodes#NETWORK}) on I/O failure or timeout
     */
    HttpResult exchange(String method, String pathAndQuery, byte[] body, String contentType,
            Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(resolve(pathAndQuery)).timeout(timeout)
                .header("Accept", "application/json, application/problem+json, text/plain;q=0.5");
        b.header("Authorization", "Bearer " + accessToken());
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", contentType == null ? "application/octet-stream" : contentType);
            b.method(method, HttpRequest.BodyPublishers.ofByteArray(body));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return send(b.build(), method + " " + pathWithoutQuery(pathAndQuery));
    }

    /**
     * Asks the gateway's Docker token endpoint for a registry token ({@code GET /auth/token?service=&scope=}).
     *
     * @param service the registry's service name ({@code aud})
     * @param scope   e.g. {@code repository:foo/bar:pull,push}
     * @return the token ({@code token}, else {@code access_token})
     */
    String registryToken(String service, String scope) {
        JsonNode n = getJson("/auth/token?service=" + enc(service) + "&scope=" + enc(scope));
        String t = Json.text(n, "token");
        if (t == null) {
            t = Json.text(n, "access_token");
        }
        if (t == null || t.isBlank()) {
            throw new CliException(ExitCodes.REFUSED, "the gateway's token answer holds no token");
        }
        return t;
    }

    private HttpResult send(HttpRequest req, String what) {
        try {
            HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            byte[] data = HttpResult.readLimited(r.body(), MAX_ANSWER_BYTES, what);
            return new HttpResult(r.statusCode(), r.headers(), data, what);
        } catch (IOException e) {
            throw HttpResult.network(req.uri().getScheme() + "://" + req.uri().getAuthority(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(ExitCodes.NETWORK, "interrupted");
        }
    }

    private synchronized String accessToken() {
        if (cachedToken != null) {
            return cachedToken;
        }
        if (credentials == null || !credentials.present()) {
            throw new CliException(ExitCodes.USAGE, "not logged in: run `cococtl login` or set COCOPLANE_TOKEN");
        }
        if (credentials.token() != null) {
            cachedToken = credentials.token();
            return cachedToken;
        }
        URI tokenUrl = URI.create(credentials.tokenUrl());
        StringBuilder form = new StringBuilder("grant_type=client_credentials");
        if (credentials.scope() != null) {
            form.append("&scope=").append(enc(credentials.scope()));
        }
        String basic = Base64.getEncoder().encodeToString((enc(credentials.clientId()) + ":"
                + enc(credentials.clientSecret())).getBytes(StandardCharsets.UTF_8));
        HttpRequest req = HttpRequest.newBuilder(tokenUrl).timeout(timeout)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Accept", "application/json")
                .header("Authorization", "Basic " + basic)
                .POST(HttpRequest.BodyPublishers.ofString(form.toString())).build();
        HttpResult r = send(req, "client credentials grant at " + tokenUrl.getAuthority()).require();
        String t = Json.text(r.json(), "access_token");
        if (t == null || t.isBlank()) {
            throw new CliException(ExitCodes.REFUSED, "the token endpoint's answer holds no access_token");
        }
        cachedToken = t;
        return t;
    }

    private URI resolve(String pathAndQuery) {
        String b = base.toString();
        if (b.endsWith("/")) {
            b = b.substring(0, b.length() - 1);
        }
        return URI.create(b + pathAndQuery);
    }

    private static String pathWithoutQuery(String p) {
        int q = p.indexOf('?');
        return q < 0 ? p : p.substring(0, q);
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
