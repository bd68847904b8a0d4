package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import io.cocoplane.kbsprotocol.ErrorInformation;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Resource paths (note §1.1, hazard §10 "directory interleaving"): each malformed path on its own is 404
 * {@code InvalidRequestPath}, with a valid admin token in hand (so nothing else could refuse it), without a storage
 * read, and without normalization — {@code default/key/1} exists and would be found if {@code ..} were resolved.
 */
class ResourcePathTest extends KeyBrokerTestBase {

    @Autowired
    MeterRegistry meters;

    @BeforeEach
    void storeTheTarget() {
        putSecret("default/key/1", "target".getBytes(StandardCharsets.UTF_8));
    }

    private double reads() {
        return meters.counter("cocoplane.keybroker.resource.reads").count();
    }

    private void assertRefused(String rawPath) {
        double before = reads();
        HttpResponse<String> get = send("GET", "/kbs/v0/resource/" + rawPath, null);
        assertThat(get.statusCode()).as(rawPath + ": " + get.body()).isEqualTo(404);
        assertThat(ErrorInformation.parse(get.body().getBytes(StandardCharsets.UTF_8)).variant())
                .isEqualTo("InvalidRequestPath");
        HttpResponse<String> put = send("POST", "/kbs/v0/resource/" + rawPath, new byte[] {1}, "Authorization",
                "Bearer " + adminToken("admin"));
        assertThat(put.statusCode()).as("admin write to " + rawPath).isEqualTo(404);
        assertThat(reads()).isEqualTo(before);
    }

    @Test
    void dotDot() {
        assertRefused("default/key/../key/1");
    }

    @Test
    void dotDotSegment() {
        assertRefused("../key/1");
    }

    @Test
    void dotHidden() {
        assertRefused("default/.x/1");
    }

    @Test
    void percentEncodedDots() {
        assertRefused("default/%2e%2e/1");
    }

    @Test
    void twoSegments() {
        assertRefused("key/1");
    }

    @Test
    void fourSegments() {
        assertRefused("default/key/1/2");
    }

    @Test
    void emptySegment() {
        assertRefused("default//1");
    }

    @Test
    void aValidPathPassesValidationAndAnUnknownEndpointIsPluginNotFound() {
        double before = reads();
        HttpResponse<String> r = send("GET", "/kbs/v0/resource/default/key/1", null);
        assertThat(r.statusCode()).isEqualTo(401); // no token: refused after validation, before storage
        assertThat(reads()).isEqualTo(before);
        assertThat(send("GET", "/kbs/v0/nosuchplugin/x", null).statusCode()).isEqualTo(404);
    }
}
