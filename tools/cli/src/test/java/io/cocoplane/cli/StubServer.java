package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/** A JDK {@link HttpServer} on 127.0.0.1 with handlers per method and path pattern, recording every request. */
final class StubServer implements AutoCloseable {

    record Request(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }

        String param(String name) {
            if (query == null) {
                return null;
            }
            for (String kv : query.split("&")) {
                int eq = kv.indexOf('=');
                if (eq > 0 && kv.substring(0, eq).equals(name)) {
                    return java.net.URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8);
                }
            }
            return null;
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    record Response(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Response json(int status, String json) {
            return new Response(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Response text(int status, String text) {
            return new Response(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Response problem(int status, String detail) {
            return new Response(status, "application/problem+json", ("{\"type\":\"urn:cocoplane:problem:x\","
                    + "\"title\":\"Refused\",\"status\":" + status + ",\"detail\":\"" + detail + "\"}")
                    .getBytes(StandardCharsets.UTF_8), Map.of());
        }

        static Response empty(int status, Map<String, String> headers) {
            return new Response(status, null, new byte[0], headers);
        }
    }

    @FunctionalInterface
    interface Handler {
        Response handle(Request r) throws Exception;
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final HttpServer server;
    private final List<Route> routes = Collections.synchronizedList(new ArrayList<>());
    final List<Request> requests = Collections.synchronizedList(new ArrayList<>());

    StubServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::dispatch);
        server.start();
    }

    StubServer on(String method, String pathRegex, Handler h) {
        routes.add(0, new Route(method, Pattern.compile(pathRegex), h));
        return this;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String hostPort() {
        return "127.0.0.1:" + server.getAddress().getPort();
    }

    List<Request> requests(String method, String pathPrefix) {
        synchronized (requests) {
            return requests.stream().filter(r -> r.method().equals(method) && r.path().startsWith(pathPrefix)).toList();
        }
    }

    private void dispatch(HttpExchange ex) throws IOException {
        try (ex) {
            byte[] body;
            try (InputStream in = ex.getRequestBody()) {
                body = in.readAllBytes();
            }
            Request req = new Request(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                    ex.getRequestURI().getRawQuery(), new LinkedHashMap<>(ex.getRequestHeaders()), body);
            requests.add(req);
            Response resp = null;
            synchronized (routes) {
                for (Route r : routes) {
                    if (r.method().equals(req.method()) && r.path().matcher(req.path()).matches()) {
                        try {
                            resp = r.handler().handle(req);
                        } catch (Exception e) {
                            resp = Response.text(500, "stub failure: " + e);
                        }
                        break;
                    }
                }
            }
            if (resp == null) {
                resp = Response.problem(404, "stub has no route for " + req.method() + " " + req.path());
            }
            resp.headers().forEach((k, v) -> ex.getResponseHeaders().add(k, v));
            if (resp.contentType() != null) {
                ex.getResponseHeaders().add("Content-Type", resp.contentType());
            }
            boolean noBody = req.method().equals("HEAD") || resp.body().length == 0;
            ex.sendResponseHeaders(resp.status(), noBody ? -1 : resp.body().length);
            if (!noBody) {
                try (OutputStream os = ex.getResponseBody()) {
                    os.write(resp.body());
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
