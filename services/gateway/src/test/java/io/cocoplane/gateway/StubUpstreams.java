package io.cocoplane.gateway;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * One JDK {@link HttpServer} on 127.0.0.1 standing in for all five upstreams (their paths do not overlap). A test
 * programs answers per {@code "METHOD /path"} and reads what arrived; unprogrammed requests get 404.
 */
public final class StubUpstreams {

    /**
     * A request as the stub received it.
     *
     * @param method        method
     * @param path          raw path
     * @param query         raw query or null
     * @param authorization {@code Authorization} header or null
     * @param contentType   {@code Content-Type} or null
     * @param body          body bytes
     */
    public record Received(String method, String path, String query, String authorization, String contentType,
                           byte[] body) {
    }

    /**
     * A programmed answer.
     *
     * @param status      status
     * @param contentType content type
     * @param body        body
     * @param delayMillis pause before answering
     */
    public record Answer(int status, String contentType, byte[] body, long delayMillis) {
        /** @return a JSON answer */
        public static Answer json(int status, String body) {
            return new Answer(status, "application/json", body.getBytes(java.nio.charset.StandardCharsets.UTF_8), 0);
        }
    }

    private static final HttpServer SERVER;
    private static final Map<String, Answer> ANSWERS = new ConcurrentHashMap<>();
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();

    static {
        try {
            SERVER = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        SERVER.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        SERVER.createContext("/", StubUpstreams::handle);
        SERVER.start();
    }

    private StubUpstreams() {
    }

    /** @return the stub's base URL */
    public static String baseUrl() {
        return "http://127.0.0.1:" + SERVER.getAddress().getPort();
    }

    /**
     * @param methodAndPath e.g. {@code GET /api/v1/workloads/…}
     * @param answer        what to answer
     */
    public static void on(String methodAndPath, Answer answer) {
        ANSWERS.put(methodAndPath, answer);
    }

    /** @return how many requests the stub has received so far, at any path */
    public static int receivedCount() {
        return RECEIVED.size();
    }

    /** @return requests received at that path, in order */
    public static List<Received> received(String method, String path) {
        return RECEIVED.stream().filter(r -> r.method().equals(method) && r.path().equals(path)).toList();
    }

    private static void handle(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body = ex.getRequestBody().readAllBytes();
            String path = ex.getRequestURI().getRawPath();
            RECEIVED.add(new Received(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(),
                    ex.getRequestHeaders().getFirst("Authorization"),
                    ex.getRequestHeaders().getFirst("Content-Type"), body));
            Answer a = ANSWERS.get(ex.getRequestMethod() + " " + path);
            if (a == null) {
                a = Answer.json(404, "{\"title\":\"Not Found\",\"status\":404}");
            }
            if (a.delayMillis() > 0) {
                try {
                    Thread.sleep(a.delayMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            ex.getResponseHeaders().set("Content-Type", a.contentType());
            ex.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
            if (a.body().length > 0) {
                ex.getResponseBody().write(a.body());
            }
        } catch (IOException e) {
            // the client went away (e.g. a read timeout); nothing to do
        }
    }
}
