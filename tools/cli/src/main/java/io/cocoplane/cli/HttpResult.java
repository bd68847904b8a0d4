package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Map;

import tools.jackson.databind.JsonNode;

/**
 * A finished HTTP exchange whose body was read into memory (at most a caller-given number of bytes), and the mapping
 * of failures to exit codes: 404 → {@link ExitCodes#NOT_FOUND}, other 4xx/5xx → {@link ExitCodes#REFUSED}, I/O
 * failures → {@link ExitCodes#NETWORK}. The message of a refusal is the RFC 9457 problem {@code detail} (else its
 * {@code title}), followed by its {@code errors} map when present; OCI distribution errors
 * ({@code {"errors":[{"code","message","detail"}]}}) are rendered as {@code CODE: message}.
 *
 * @param status  HTTP status code
 * @param headers response headers
 * @param body    the body bytes
 * @param what    a short description of the request, used in messages
 */
record HttpResult(int status, HttpHeaders headers, byte[] body, String what) {

    /** @return true for 2xx */
    boolean ok() {
        return status >= 200 && status < 300;
    }

    /** @return this when 2xx, else throws the mapped {@link CliException} */
    HttpResult require() {
        if (!ok()) {
            throw failure();
        }
        return this;
    }

    /** @return the body parsed as JSON (exit code {@link ExitCodes#REFUSED} when it is not JSON) */
    JsonNode json() {
        return Json.parse(body, "answer to " + what, ExitCodes.REFUSED);
    }

    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }

    /** @return the exception for a non-2xx answer */
    CliException failure() {
        int code = status == 404 ? ExitCodes.NOT_FOUND : ExitCodes.REFUSED;
        return new CliException(code, what + " failed: HTTP " + status + problemText());
    }

    private String problemText() {
        if (body.length == 0) {
            return "";
        }
        String type = headers.firstValue("Content-Type").orElse("");
        if (type.contains("json")) {
            try {
                JsonNode n = Json.MAPPER.readTree(body);
                StringBuilder sb = new StringBuilder();
                String detail = Json.text(n, "detail");
                String title = Json.text(n, "title");
                if (detail != null) {
                    sb.append(": ").append(detail);
                } else if (title != null) {
                    sb.append(": ").append(title);
                }
                JsonNode errors = n.get("errors");
                if (errors != null && errors.isObject()) {
                    StringBuilder fields = new StringBuilder();
                    for (Map.Entry<String, JsonNode> e : errors.properties()) {
                        if (!fields.isEmpty()) {
                            fields.append(", ");
                        }
                        fields.append(e.getKey()).append(": ").append(e.getValue().isString()
                                ? e.getValue().asString() : Json.compact(e.getValue()));
                    }
                    sb.append(" (").append(fields).append(')');
                } else if (errors != null && errors.isArray()) {
                    Iterator<JsonNode> it = errors.iterator();
                    while (it.hasNext()) {
                        JsonNode e = it.next();
                        sb.append(sb.isEmpty() ? ": " : "; ").append(Json.text(e, "code"));
                        String m = Json.text(e, "message");
                        if (m != null) {
                            sb.append(": ").append(m);
                        }
                    }
                }
                return sb.toString();
            } catch (RuntimeException e) {
                // fall through to the raw text
            }
        }
        String t = text().strip();
        return t.isEmpty() ? "" : ": " + (t.length() > 300 ? t.substring(0, 300) + "…" : t);
    }

    /**
     * @param target where the request went
     * @param e      the I/O failure
     * @return the {@link ExitCodes#NETWORK} exception for it
     */
    static CliException network(String target, IOException e) {
        String why;
        if (e instanceof HttpConnectTimeoutException) {
            why = "connection timed out";
        } else if (e instanceof HttpTimeoutException) {
            why = "no answer in time";
        } else if (e instanceof ConnectException) {
            why = "connection refused";
        } else {
            why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        }
        return new CliException(ExitCodes.NETWORK, "cannot reach " + target + ": " + why, e);
    }

    /**
     * Reads at most {@code max} bytes.
     *
     * @throws CliException ({@link ExitCodes#REFUSED}) when the stream is longer
     */
    static byte[] readLimited(InputStream in, int max, String what) throws IOException {
        try (in) {
            byte[] data = in.readNBytes(max + 1);
            if (data.length > max) {
                throw new CliException(ExitCodes.REFUSED, what + ": answer larger than " + max + " bytes");
            }
            return data;
        }
    }
}
