package io.cocoplane.gateway.upstream;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.util.EnumMap;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

import io.cocoplane.gateway.GatewayProperties;

/**
 * Plain HTTP calls to the upstream services with Spring's {@link RestClient} on the JDK {@link HttpClient} (HTTP/1.1,
 * connect and read timeouts from {@link GatewayProperties}, W3C trace context propagated by Boot's observation
 * customizer). Any status is returned as an {@link UpstreamResponse}; transport failures become
 * {@link UpstreamException}. Bodies are never logged.
 */
@Component
public class UpstreamClient {

    private static final Logger log = LoggerFactory.getLogger(UpstreamClient.class);

    private final RestClient client;
    private final Map<Upstream, URI> bases = new EnumMap<>(Upstream.class);
    private final long maxResponseBytes;

    /**
     * @param builder Boot's builder (observation, message converters)
     * @param props   gateway settings
     */
    public UpstreamClient(RestClient.Builder builder, GatewayProperties props) {
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(props.connectTimeout()).followRedirects(HttpClient.Redirect.NEVER).build();
        JdkClientHttpRequestFactory factory = new JdkClientHttpRequestFactory(http);
        factory.setReadTimeout(props.readTimeout());
        this.client = builder.clone().requestFactory(factory).build();
        GatewayProperties.Upstreams u = props.upstreams();
        bases.put(Upstream.REGISTRY, u.registry());
        bases.put(Upstream.ORCHESTRATOR, u.orchestrator());
        bases.put(Upstream.KEYBROKER, u.keybroker());
        bases.put(Upstream.ATTESTATION, u.attestation());
        bases.put(Upstream.AUDIT, u.audit());
        this.maxResponseBytes = props.maxUpstreamResponse().toBytes();
    }

    /**
     * @param upstream service
     * @param path     absolute path built from validated segments, e.g. {@code /api/v1/workloads/…}
     * @param rawQuery query string as received (already percent-encoded), or null
     * @return the answer
     * @throws UpstreamException on a transport failure or an over-long answer
     * @throws IllegalArgumentException when the query string is not a valid URI query
     */
    public UpstreamResponse get(Upstream upstream, String path, String rawQuery) {
        return exchange(upstream, HttpMethod.GET, path, rawQuery, null, null, null);
    }

    /**
     * @param upstream service
     * @param path     absolute path built from validated segments
     * @param rawQuery query string as received (already percent-encoded), or null
     * @param bearer   bearer token for {@code Authorization}
     * @return the answer
     * @throws UpstreamException on a transport failure or an over-long answer
     * @throws IllegalArgumentException when the query string is not a valid URI query
     */
    public UpstreamResponse get(Upstream upstream, String path, String rawQuery, String bearer) {
        return exchange(upstream, HttpMethod.GET, path, rawQuery, null, null, bearer);
    }

    /**
     * @param upstream    service
     * @param method      method
     * @param path        absolute path built from validated segments
     * @param contentType body type, or null without body
     * @param body        body bytes, or null
     * @param bearer      bearer token for {@code Authorization}, or null
     * @return the answer
     * @throws UpstreamException on a transport failure or an over-long answer
     */
    public UpstreamResponse send(Upstream upstream, HttpMethod method, String path, MediaType contentType,
                                 byte[] body, String bearer) {
        return exchange(upstream, method, path, null, contentType, body, bearer);
    }

    private UpstreamResponse exchange(Upstream upstream, HttpMethod method, String path, String rawQuery,
                                      MediaType contentType, byte[] body, String bearer) {
        String base = bases.get(upstream).toString().replaceAll("/+$", "");
        URI uri = URI.create(base + path + (rawQuery == null || rawQuery.isEmpty() ? "" : "?" + rawQuery));
        try {
            RestClient.RequestBodySpec spec = client.method(method).uri(uri).headers(h -> {
                h.setAccept(java.util.List.of(MediaType.APPLICATION_JSON, MediaType.APPLICATION_PROBLEM_JSON,
                        MediaType.ALL));
                if (bearer != null) {
                    h.set(HttpHeaders.AUTHORIZATION, "Bearer " + bearer);
                }
                if (contentType != null) {
                    h.setContentType(contentType);
                }
            });
            if (body != null) {
                spec.body(body);
            }
            return spec.exchange((req, res) -> {
                byte[] bytes = readLimited(upstream, res.getBody());
                return new UpstreamResponse(res.getStatusCode().value(), res.getHeaders().getContentType(), bytes);
            });
        } catch (ResourceAccessException e) {
            boolean timeout = isTimeout(e);
            log.warn("upstream {} {} {} failed: {}", upstream.id(), method, path, e.getMostSpecificCause().toString());
            throw new UpstreamException(upstream, timeout, timeout
                    ? "the " + upstream.id() + " service did not answer in time"
                    : "the " + upstream.id() + " service is unreachable");
        } catch (RestClientException e) {
            if (e.getCause() instanceof UpstreamException ue) {
                throw ue;
            }
            log.warn("upstream {} {} {} failed: {}", upstream.id(), method, path, e.getClass().getSimpleName());
            throw new UpstreamException(upstream, false, "the " + upstream.id() + " service gave an unusable answer");
        }
    }

    private byte[] readLimited(Upstream upstream, InputStream in) throws IOException {
        byte[] b = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
        if (b.length > maxResponseBytes) {
            throw new UpstreamException(upstream, false, "the " + upstream.id() + " service answered more than "
                    + maxResponseBytes + " bytes");
        }
        return b;
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException || t instanceof ConnectException) {
                return false;
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException
                    || t instanceof InterruptedIOException) {
                return true;
            }
        }
        return false;
    }
}
