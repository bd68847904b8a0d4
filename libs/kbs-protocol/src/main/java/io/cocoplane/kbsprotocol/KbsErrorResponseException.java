package io.cocoplane.kbsprotocol;

import java.util.Optional;

/**
 * The KBS answered with a non-200 status (note §1.4: 404 for {@code InvalidRequestPath}/{@code PluginNotFound},
 * 401 for everything else). Carries the status, the endpoint path and, when the body was a valid
 * {@code {"type","detail"}} object, the parsed {@link ErrorInformation}.
 */
public class KbsErrorResponseException extends KbsClientException {

    private static final long serialVersionUID = 1L;

    private final int statusCode;
    private final String endpoint;
    private final transient ErrorInformation error;

    /**
     * @param endpoint   the request path, e.g. {@code /kbs/v0/resource/default/key/1}
     * @param statusCode the HTTP status
     * @param error      the parsed error body, or null when the body was not a KBS error object
     * @param bodyPrefix the first characters of the raw body (for the message) when {@code error} is null
     */
    public KbsErrorResponseException(String endpoint, int statusCode, ErrorInformation error, String bodyPrefix) {
        super(endpoint + " -> HTTP " + statusCode + (error != null
                ? " " + error.variant() + ": " + error.detail()
                : " (body: " + RcarJson.quoteForMessage(bodyPrefix) + ")"));
        this.statusCode = statusCode;
        this.endpoint = endpoint;
        this.error = error;
    }

    /**
     * @return the HTTP status code
     */
    public int statusCode() {
        return statusCode;
    }

    /**
     * @return the request path
     */
    public String endpoint() {
        return endpoint;
    }

    /**
     * @return the KBS's {@code {type, detail}} body, when it sent one
     */
    public Optional<ErrorInformation> error() {
        return Optional.ofNullable(error);
    }
}
