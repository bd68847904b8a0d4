package io.cocoplane.local;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Asks a service whether it is ready: {@code GET http://127.0.0.1:<port>/actuator/health/readiness} (the readiness
 * group: readinessState, db, eventing and the service's own indicators; public on every service, the gateway
 * included). Answers {@code UP}, {@code DOWN}, {@code OUT_OF_SERVICE}, or {@link #UNREACHABLE} when nothing answers.
 */
public final class HealthProbe {

    /** The answer when no HTTP response came back (not listening yet, timed out, refused). */
    public static final String UNREACHABLE = "unreachable";

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1))
            .followRedirects(HttpClient.Redirect.NEVER).build();

    /**
     * @param port the service's port on 127.0.0.1
     * @return the readiness status, or {@link #UNREACHABLE}
     */
    public String readiness(int port) {
        try {
            HttpResponse<String> res = fetch(port);
            String body = res.body();
            if (body == null || body.length() > 1_000_000) {
                return "HTTP " + res.statusCode();
            }
            try {
                JsonNode status = JSON.readTree(body).get("status");
                return status != null && status.isString() ? status.asString() : "HTTP " + res.statusCode();
            } catch (RuntimeException e) {
                return "HTTP " + res.statusCode();
            }
        } catch (IOException e) {
            return UNREACHABLE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return UNREACHABLE;
        }
    }

    /**
     * @param port the service's port on 127.0.0.1
     * @return the names of the readiness group's components that are not {@code UP}, e.g. {@code [eventing]};
     *         empty when none or when the answer has no components
     */
    public java.util.List<String> componentsNotUp(int port) {
        java.util.List<String> down = new java.util.ArrayList<>();
        try {
            JsonNode components = JSON.readTree(fetch(port).body()).get("components");
            if (components != null) {
                for (var e : components.properties()) {
                    JsonNode st = e.getValue().get("status");
                    if (st == null || !"UP".equals(st.asString())) {
                        down.add(e.getKey());
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to add
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return down;
    }

    private HttpResponse<String> fetch(int port) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health/readiness"))
                .timeout(Duration.ofSeconds(3)).GET().build();
        return http.send(req, HttpResponse.BodyHandlers.ofString(java.nio.charset.StandardCharsets.UTF_8));
    }
}
