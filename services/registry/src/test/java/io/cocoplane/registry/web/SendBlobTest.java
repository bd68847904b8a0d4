package io.cocoplane.registry.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * The blob body of a GET: handed to Tomcat's sendfile when the container offers it, copied through the output stream
 * otherwise. (The sendfile path end to end, over a real Tomcat, is in ConformancePullTest and SkopeoInteropTest.)
 */
class SendBlobTest {

    @TempDir
    Path dir;

    @Test
    void withSendfileSupportTheRangeIsHandedToTheContainerAndNothingIsWritten() throws IOException {
        Path file = blob(1000);
        MockHttpServletRequest req = new MockHttpServletRequest("GET", "/v2/r/blobs/x");
        req.setAttribute(DistributionController.SENDFILE_SUPPORT, Boolean.TRUE);
        MockHttpServletResponse res = new MockHttpServletResponse();

        DistributionController.sendBlob(req, res, file, 10, 90);

        assertThat(req.getAttribute("org.apache.tomcat.sendfile.filename")).isEqualTo(file.toString());
        assertThat(req.getAttribute("org.apache.tomcat.sendfile.start")).isEqualTo(10L);
        assertThat(req.getAttribute("org.apache.tomcat.sendfile.end")).isEqualTo(100L);
        assertThat(res.getContentAsByteArray()).isEmpty();
    }

    @Test
    void withoutSendfileSupportTheRangeIsCopiedToTheResponse() throws IOException {
        Path file = blob(100_000);
        MockHttpServletRequest req = new MockHttpServletRequest("GET", "/v2/r/blobs/x");
        MockHttpServletResponse res = new MockHttpServletResponse();

        DistributionController.sendBlob(req, res, file, 5, 70_000);

        assertThat(req.getAttribute("org.apache.tomcat.sendfile.filename")).isNull();
        assertThat(res.getContentAsByteArray()).isEqualTo(Arrays.copyOfRange(Files.readAllBytes(file), 5, 70_005));
    }

    private Path blob(int size) throws IOException {
        byte[] data = new byte[size];
        new java.util.SplittableRandom(size).nextBytes(data);
        return Files.write(dir.resolve("blob"), data);
    }
}
