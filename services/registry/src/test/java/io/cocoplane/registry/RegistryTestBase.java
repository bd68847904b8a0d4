package io.cocoplane.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.registry.oci.BlobStore;

/**
 * One Spring context shared by every registry test class that extends this: a real HTTP server on a random port, a
 * real KRaft broker and PostgreSQL, authentication disabled (the development switch), a fresh blob root in a temp dir,
 * garbage-collection grace 0 so that collection can be observed.
 */
@TestInfra(schema = "registry")
@SpringBootTest(classes = RegistryApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "cocoplane.registry.auth.disabled=true",
            "cocoplane.registry.storage.fsync=false",
            "cocoplane.registry.gc.grace=0s",
            "cocoplane.registry.limits.max-page-size=100",
            "cocoplane.eventing.relay.interval=50ms",
            "spring.kafka.producer.properties.linger.ms=0"
        })
public abstract class RegistryTestBase {

    private static final Path ROOT;

    static {
        try {
            ROOT = Files.createTempDirectory("registry-test-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @DynamicPropertySource
    static void storage(DynamicPropertyRegistry r) {
        r.add("cocoplane.registry.storage.root", ROOT::toString);
    }

    @LocalServerPort
    protected int port;
    @Autowired
    protected BlobStore store;

    protected OciHttp oci() {
        return new OciHttp("http://127.0.0.1:" + port);
    }

    /** @return every regular file under the blob root, relative paths, sorted */
    protected List<String> filesUnderRoot() {
        try (Stream<Path> s = Files.walk(store.root())) {
            return s.filter(Files::isRegularFile).map(p -> store.root().relativize(p).toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
