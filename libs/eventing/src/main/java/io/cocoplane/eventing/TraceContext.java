package io.cocoplane.eventing;

import org.springframework.beans.factory.ObjectProvider;

import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;

/**
 * W3C trace context (https://www.w3.org/TR/trace-context/ §3.2) between spans and the CloudEvents {@code traceparent}
 * extension, through Micrometer Tracing: {@code 00-<32 hex trace id>-<16 hex span id>-<2 hex flags>}.
 */
public final class TraceContext {

    private final ObjectProvider<Tracer> tracer;
    /** The tracer once resolved: a bean lookup per consumed event costs more than the span itself. */
    private volatile Tracer resolved;

    /** @param tracer the Micrometer tracer, when tracing is configured */
    public TraceContext(ObjectProvider<Tracer> tracer) {
        this.tracer = tracer;
    }

    /** @return the current span as a {@code traceparent} value, or null when there is no current span */
    public String currentTraceparent() {
        Tracer t = tracer();
        if (t == null) {
            return null;
        }
        Span span = t.currentSpan();
        if (span == null || span.isNoop()) {
            return null;
        }
        var ctx = span.context();
        boolean sampled = Boolean.TRUE.equals(ctx.sampled());
        return "00-" + ctx.traceId() + "-" + ctx.spanId() + "-" + (sampled ? "01" : "00");
    }

    /**
     * Starts a span that continues the trace of a consumed event.
     *
     * @param traceparent the event's {@code traceparent}, or null (a new trace starts)
     * @param name        span name, e.g. {@code consume io.cocoplane.workload.requested.v1}
     * @return the started span (noop when tracing is off); the caller ends it
     */
    public Span startChild(String traceparent, String name) {
        Tracer t = tracer();
        if (t == null) {
            return null;
        }
        String[] parts = traceparent == null ? null : traceparent.split("-");
        if (parts != null && parts.length == 4 && parts[1].matches("[0-9a-f]{32}") && parts[2].matches("[0-9a-f]{16}")) {
            var parent = t.traceContextBuilder().traceId(parts[1]).spanId(parts[2])
                    .sampled("01".equals(parts[3])).build();
            return t.spanBuilder().setParent(parent).name(name).kind(Span.Kind.CONSUMER).start();
        }
        return t.nextSpan().name(name).start();
    }

    /** @return the tracer, or null (looked up again on every call until one is available) */
    Tracer tracer() {
        Tracer t = resolved;
        if (t == null) {
            t = tracer.getIfAvailable();
            resolved = t;
        }
        return t;
    }
}
