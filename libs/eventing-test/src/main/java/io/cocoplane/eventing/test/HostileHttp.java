package io.cocoplane.eventing.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Assertions;

/**
 * Hostile HTTP/1.1 clients on a raw socket, for the edge tests of every service (issue 11 §3): requests that
 * {@link java.net.http.HttpClient} refuses to send (oversized headers, raw {@code ..} and {@code %2e%2e} in the
 * request line) and clients that stall (slowloris headers, a body that never comes).
 *
 * <p>Every call connects to {@code 127.0.0.1:port}, writes the given bytes (ISO-8859-1, as the request line and
 * headers are on the wire), then reads until the server closes the connection or {@code patience} passes without
 * a byte. The outcome says which of the two happened; the caller asserts the server's status and body.
 */
public final class HostileHttp {

    private HostileHttp() {
    }

    /**
     * What the server did with a hostile request.
     *
     * @param status       HTTP status of the first response, or -1 when the server sent no response at all
     * @param head         status line and headers of that response ({@code ""} without one)
     * @param body         everything after the header block, undecoded (may hold a chunked body as sent)
     * @param closedByServer true when the server closed the connection (end of stream or reset) before
     *                     {@code patience} ran out; false when the client gave up waiting
     */
    public record Outcome(int status, String head, String body, boolean closedByServer) {

        /** @return the JSON object in the body (from the first '{' to the last '}', past any chunk framing) */
        public String json() {
            int start = body.indexOf('{');
            int end = body.lastIndexOf('}');
            if (start < 0 || end < start) {
                throw new IllegalStateException("no JSON object in the body: " + body);
            }
            return body.substring(start, end + 1);
        }
    }

    /**
     * Writes {@code request} as is and reads what comes back.
     *
     * @param port     server port on 127.0.0.1
     * @param request  raw request text, CRLF line ends included by the caller
     * @param patience longest silence the client waits for the next byte
     * @return the outcome
     * @throws IOException when the connection cannot be made
     */
    public static Outcome exchange(int port, String request, Duration patience) throws IOException {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(Math.toIntExact(patience.toMillis()));
            OutputStream out = s.getOutputStream();
            try {
                out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            } catch (IOException e) {
                // the server may answer and close before the whole request is written (oversized header)
            }
            return read(s.getInputStream());
        }
    }

    /**
     * A {@code method target} request sent byte for byte (no normalisation of {@code ..} or percent escapes, as
     * {@link java.net.URI} would do), with {@code Connection: close} and no body.
     *
     * @param port         server port on 127.0.0.1
     * @param method       request method
     * @param target       raw request target
     * @param extraHeaders further header lines, each {@code "Name: value"}
     * @return the outcome (patience 30 s)
     * @throws IOException when the connection cannot be made
     */
    public static Outcome raw(int port, String method, String target, String... extraHeaders) throws IOException {
        StringBuilder req = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nConnection: close\r\nContent-Length: 0\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        return exchange(port, req.append("\r\n").toString(), Duration.ofSeconds(30));
    }

    /**
     * A {@code GET path} with one header {@code X-Padding} of {@code size} characters ('a').
     *
     * @param port     server port on 127.0.0.1
     * @param path     request target
     * @param size     length of the header value in characters
     * @param patience longest silence the client waits for the next byte
     * @return the outcome
     * @throws IOException when the connection cannot be made
     */
    public static Outcome oversizedHeader(int port, String path, int size, Duration patience) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Padding: " + "a".repeat(size)
                + "\r\nConnection: close\r\n\r\n", patience);
    }

    /**
     * Slowloris: a request line and one header, then nothing (the header block is never finished).
     *
     * @param port     server port on 127.0.0.1
     * @param path     request target
     * @param patience how long the client waits for the server to give up on it
     * @return the outcome
     * @throws IOException when the connection cannot be made
     */
    public static Outcome stalledHeaders(int port, String path, Duration patience) throws IOException {
        return exchange(port, "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n", patience);
    }

    /**
     * A complete header block announcing {@code Content-Length: declared}, then the first {@code sent} bytes of a
     * valid JSON text (<code>&#123;"a":"xxx…</code>, so that a parser must wait for more) and then nothing.
     *
     * @param port        server port on 127.0.0.1
     * @param method      request method
     * @param path        request target
     * @param contentType value of {@code Content-Type}
     * @param extraHeaders further header lines, each {@code "Name: value"}
     * @param declared    announced body length in bytes
     * @param sent        bytes actually sent, less than {@code declared}
     * @param patience    how long the client waits for the server to give up on it
     * @return the outcome
     * @throws IOException when the connection cannot be made
     */
    public static Outcome stalledBody(int port, String method, String path, String contentType, int declared,
                                      int sent, Duration patience, String... extraHeaders) throws IOException {
        if (sent >= declared) {
            throw new IllegalArgumentException("sent must be less than declared");
        }
        StringBuilder req = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                .append("Host: 127.0.0.1\r\nContent-Type: ").append(contentType).append("\r\nContent-Length: ")
                .append(declared).append("\r\n");
        for (String h : extraHeaders) {
            req.append(h).append("\r\n");
        }
        String prefix = "{\"a\":\"";
        req.append("\r\n").append((prefix + "x".repeat(Math.max(0, sent))).substring(0, sent));
        return exchange(port, req.toString(), patience);
    }

    /**
     * The edge checks every service shares: a 64 KiB header is refused with 400 and the connection closed (limit
     * {@code server.max-http-request-header-size}), and a client that never finishes its headers is disconnected
     * by the server, with no answer or a 400/408, before {@code patience} (limit
     * {@code server.tomcat.connection-timeout}).
     *
     * @param port     server port on 127.0.0.1
     * @param path     any path of the service
     * @param patience longer than the service's connection timeout
     * @throws IOException when the connection cannot be made
     */
    public static void assertHeaderLimitsHold(int port, String path, Duration patience) throws IOException {
        Outcome big = oversizedHeader(port, path, 64 * 1024, patience);
        Assertions.assertEquals(400, big.status(), () -> "oversized header: " + big.head());
        Assertions.assertTrue(big.closedByServer(), "oversized header: connection left open");
        Outcome stalled = stalledHeaders(port, path, patience);
        Assertions.assertTrue(stalled.closedByServer(), "unfinished headers: not cut off within " + patience);
        Assertions.assertTrue(List.of(-1, 400, 408).contains(stalled.status()),
                () -> "unfinished headers: answered " + stalled.head());
    }

    /**
     * A body announced with 1000 bytes of which 10 come must be cut off by the server before {@code patience}
     * (limit {@code server.tomcat.connection-timeout}).
     *
     * @param port         server port on 127.0.0.1
     * @param method       request method
     * @param path         an endpoint that reads its body
     * @param contentType  value of {@code Content-Type}
     * @param patience     longer than the service's connection timeout
     * @param extraHeaders further header lines, each {@code "Name: value"}
     * @return the outcome, for the caller's checks of the status and body
     * @throws IOException when the connection cannot be made
     */
    public static Outcome assertStalledBodyCutOff(int port, String method, String path, String contentType,
                                                  Duration patience, String... extraHeaders) throws IOException {
        Outcome o = stalledBody(port, method, path, contentType, 1000, 10, patience, extraHeaders);
        Assertions.assertTrue(o.closedByServer(), "stalled body: not cut off within " + patience);
        return o;
    }

    /**
     * @param depth nesting depth
     * @return {@code depth} opening and closing JSON array brackets, e.g. {@code [[[]]]} for 3
     */
    public static String nestedJsonArrays(int depth) {
        return "[".repeat(depth) + "]".repeat(depth);
    }

    private static Outcome read(InputStream in) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        boolean closed;
        byte[] chunk = new byte[8192];
        try {
            while (true) {
                int n = in.read(chunk);
                if (n < 0) {
                    closed = true;
                    break;
                }
                buf.write(chunk, 0, n);
            }
        } catch (SocketTimeoutException e) {
            closed = false;
        } catch (IOException e) {
            closed = true; // reset by the server
        }
        String text = buf.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Outcome(-1, "", text, closed);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        return new Outcome(status, text.substring(0, end), text.substring(end + 4), closed);
    }
}
