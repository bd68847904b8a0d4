package io.cocoplane.registry;

import static io.cocoplane.registry.OciHttp.errorCode;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.eventing.test.HostileHttp;
import io.cocoplane.eventing.test.TestInfra;

/**
 * Hostile input at the registry's edge (port 5000, issue 11 §3; docs/reliability.md) with a blob limit of 4 KiB:
 * oversized uploads (monolithic, chunked, announced) are 413 {@code SIZE_INVALID} and leave no file behind, digests
 * that try to leave the blob root are {@code DIGEST_INVALID}, oversized headers and stalled clients are cut off;
 * afterwards the registry still answers {@code GET /v2/} and accepts a blob within the limit.
 */
@TestInfra(schema = "registry")
@SpringBootTest(classes = RegistryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "cocoplane.registry.auth.disabled=true",
            "cocoplane.registry.storage.fsync=false",
            "cocoplane.registry.limits.max-blob-size=4KB"
        })
class HostileInputTest {

    /** Longer than {@code server.tomcat.connection-timeout} (20 s in application.properties). */
    private static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("registry-hostile-");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry r) {
        r.add("cocoplane.registry.storage.root", ROOT::toString);
    }

    @LocalServerPort
    int port;

    private OciHttp oci() {
        return new OciHttp("http://127.0.0.1:" + port);
    }

    private static List<Path> files() throws IOException {
        try (Stream<Path> s = Files.walk(ROOT)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    @AfterEach
    void stillAnswers() {
        assertThat(oci().get("/v2/").statusCode()).isEqualTo(200);
        byte[] small = ("small-" + System.nanoTime()).getBytes(StandardCharsets.UTF_8);
        String digest = oci().pushBlob("hostile/ok", small);
        assertThat(oci().get("/v2/hostile/ok/blobs/" + digest).body()).isEqualTo(small);
    }

    @Test
    void aMonolithicBlobOverTheLimitIs413AndNotStored() throws IOException {
        List<Path> before = files();
        byte[] big = new byte[4 * 1024 + 1];
        HttpResponse<byte[]> r = oci().send("POST", "/v2/hostile/big/blobs/uploads/?digest=" + OciHttp.sha256(big),
                big, "Content-Type", "application/octet-stream");
        assertThat(r.statusCode()).isEqualTo(413);
        assertThat(errorCode(r)).isEqualTo("SIZE_INVALID");
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void chunksThatTogetherPassTheLimitAre413() {
        HttpResponse<byte[]> start = oci().send("POST", "/v2/hostile/chunks/blobs/uploads/", null);
        assertThat(start.statusCode()).isEqualTo(202);
        String location = OciHttp.header(start, "Location");
        HttpResponse<byte[]> first = oci().send("PATCH", location, new byte[3 * 1024], "Content-Type",
                "application/octet-stream", "Content-Range", "0-3071");
        assertThat(first.statusCode()).isEqualTo(202);
        HttpResponse<byte[]> second = oci().send("PATCH", OciHttp.header(first, "Location"), new byte[2 * 1024],
                "Content-Type", "application/octet-stream", "Content-Range", "3072-5119");
        assertThat(second.statusCode()).isEqualTo(413);
        assertThat(errorCode(second)).isEqualTo("SIZE_INVALID");
    }

    @Test
    void anAnnouncedPetabyteIsRefusedBeforeAByteIsRead() throws IOException {
        HostileHttp.Outcome o = HostileHttp.exchange(port, "POST /v2/hostile/peta/blobs/uploads/?digest=sha256:"
                + "0".repeat(64) + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\n"
                + "Content-Length: 1000000000000000\r\nConnection: close\r\n\r\nxyz", PATIENCE);
        assertThat(o.status()).isEqualTo(413);
        assertThat(o.body()).contains("SIZE_INVALID");
        assertThat(o.closedByServer()).isTrue();
    }

    @Test
    void digestsThatTryToLeaveTheBlobRootAreDigestInvalid() throws IOException {
        for (String digest : new String[] {"sha256:..%2F..%2F..%2Fetc%2Fpasswd", "sha256:../../etc/passwd",
                "sha256:%2e%2e", "..", "sha512:" + "a".repeat(5000)}) {
            HostileHttp.Outcome o = HostileHttp.raw(port, "GET", "/v2/hostile/ok/blobs/" + digest);
            assertThat(o.status()).as(digest + " " + o.head()).isIn(400, 404);
            assertThat(o.body()).as(digest).doesNotContain("root:");
            if (o.head().contains("application/json")) {
                // a digest holding '/' is no blob route at all: UNSUPPORTED
                assertThat(o.body()).as(digest).containsAnyOf("DIGEST_INVALID", "NAME_INVALID", "BLOB_UNKNOWN",
                        "UNSUPPORTED");
            }
        }
    }

    @Test
    void anUploadThatStallsIsCutOff() throws IOException {
        List<Path> before = files();
        HostileHttp.Outcome o = HostileHttp.assertStalledBodyCutOff(port, "POST",
                "/v2/hostile/slow/blobs/uploads/?digest=sha256:" + "0".repeat(64), "application/octet-stream",
                PATIENCE);
        assertThat(o.status()).as(o.head() + " " + o.body()).isIn(400, 408);
        assertThat(files()).isEqualTo(before);
    }

    @Test
    void oversizedHeadersAndUnfinishedHeadersAreCutOff() throws Exception {
        HostileHttp.assertHeaderLimitsHold(port, "/v2/", PATIENCE);
    }
}
