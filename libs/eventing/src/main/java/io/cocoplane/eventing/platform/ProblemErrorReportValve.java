package io.cocoplane.eventing.platform;

import java.io.IOException;
import java.io.Writer;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

/**
 * Tomcat's error report for the failures no controller ever sees — a request line or header block that cannot be
 * parsed or is larger than {@code server.max-http-request-header-size}, an illegal character in the target, an
 * encoded slash — as an RFC 9457 problem document ({@code application/problem+json}) instead of Tomcat's HTML page.
 * Installed on the embedded host by {@link PlatformAutoConfiguration}; responses the application already wrote
 * (every controller and Spring Boot's {@code /error} dispatch) pass through untouched.
 *
 * <p>Body: {@code {"type":"about:blank","title":<reason phrase>,"status":<code>,"detail":<fixed text>}}; the detail
 * never quotes the request (its bytes are the attacker's). No stack trace, no server version.
 */
public class ProblemErrorReportValve extends ErrorReportValve {

    /** Tomcat instantiates the valve by class name (the host's {@code errorReportValveClass}). */
    public ProblemErrorReportValve() {
        setShowReport(false);
        setShowServerInfo(false);
    }

    @Override
    protected void report(Request request, Response response, Throwable t) {
        int status = response.getStatus();
        // as ErrorReportValve: only an error status, only when nothing was written, only once
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        String reason = sm.getString("http." + status + ".reason");
        String title = reason == null || reason.startsWith("http.") ? "HTTP " + status : reason;
        String detail = status < 500 ? "the server could not accept the request (malformed or over a limit)"
                : "the server failed to process the request";
        String body = "{\"type\":\"about:blank\",\"title\":\"" + title + "\",\"status\":" + status
                + ",\"detail\":\"" + detail + "\"}";
        try {
            response.setContentType("application/problem+json");
            response.setCharacterEncoding("UTF-8");
            Writer w = response.getReporter();
            if (w != null) {
                w.write(body);
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // the client is gone or the response cannot take a body: the status line is all it gets
            container.getLogger().debug("problem report not written", e);
        }
    }
}
