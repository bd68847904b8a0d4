package io.cocoplane.gateway;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import io.cocoplane.eventing.test.TestInfra;
import io.cocoplane.gateway.domain.Keys;

/**
 * Shared set-up of the gateway's Spring tests (one application context for every subclass): real KRaft broker and
 * PostgreSQL ({@link TestInfra}), JWTs from {@link TestTokens}, every upstream on {@link StubUpstreams}, an Ed25519
 * admin key for the key broker, three registry clients, and a write limit of {@value #WRITE_LIMIT} per subject per hour.
 */
@TestInfra(schema = "gateway")
@SpringBootTest
@TestPropertySource(locations = "classpath:gateway-test.properties")
@AutoConfigureMockMvc
public abstract class GatewayTestBase {

    /** Writes a subject may make per hour in tests. */
    public static final int WRITE_LIMIT = 6;
    /** The key broker admin key pair (Ed25519). */
    public static final KeyPair ADMIN_KEY;
    /** Password of every test registry client. */
    public static final String CLIENT_PASSWORD = "s3cr3t-registry-password";
    private static final String CLIENT_HASH = new BCryptPasswordEncoder(4).encode(CLIENT_PASSWORD);

    static {
        try {
            ADMIN_KEY = KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Autowired
    protected MockMvc mvc;

    @DynamicPropertySource
    static void gatewayProperties(DynamicPropertyRegistry r) {
        register(r, Map.of());
    }

    /**
     * Registers the test configuration.
     *
     * @param r         registry
     * @param upstreams upstream base URLs that differ from {@link StubUpstreams#baseUrl()}
     */
    static void register(DynamicPropertyRegistry r, Map<String, String> upstreams) {
        r.add("spring.security.oauth2.resourceserver.jwt.public-key-location",
                () -> "file:" + TestTokens.PUBLIC_KEY_PEM);
        for (String u : List.of("registry", "orchestrator", "keybroker", "attestation", "audit")) {
            r.add("cocoplane.gateway.upstreams." + u, () -> upstreams.getOrDefault(u, StubUpstreams.baseUrl()));
        }
        r.add("cocoplane.gateway.read-timeout", () -> "1s");
        r.add("cocoplane.gateway.keybroker-admin.private-key", () -> Keys.toPem(ADMIN_KEY.getPrivate()));
        r.add("cocoplane.gateway.rate-limit.limit-for-period", () -> WRITE_LIMIT);
        r.add("cocoplane.gateway.rate-limit.refresh-period", () -> "1h");
        String[][] clients = {{"ci-puller", "deployer"}, {"release-bot", "admin"}, {"inspector", "auditor"}};
        for (int i = 0; i < clients.length; i++) {
            String p = "cocoplane.gateway.registry-clients[" + i + "].";
            String[] c = clients[i];
            r.add(p + "username", () -> c[0]);
            r.add(p + "password-hash", () -> CLIENT_HASH);
            r.add(p + "roles[0]", () -> c[1]);
        }
    }

    /** @return {@code Bearer <token>} for a fresh subject with these roles */
    protected static String bearer(String... roles) {
        return "Bearer " + TestTokens.token(TestTokens.subject(), roles);
    }
}
