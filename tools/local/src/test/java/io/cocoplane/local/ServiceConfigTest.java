package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServiceConfigTest {

    @TempDir
    Path dir;

    private final Ports ports = new Ports(18080, 18081, 18082, 18083, 18084, 15000, 19092, 19093, 15433, 16443);
    private StackPaths paths;
    private DevCredentials credentials;

    @BeforeEach
    void setUp() {
        paths = new StackPaths(dir);
        paths.create();
        credentials = DevCredentials.ensure(paths, "http://127.0.0.1:18080", Clock.systemUTC());
    }

    @Test
    void everyServiceGetsItsSchemaItsPortAndTheSharedInfrastructure() {
        for (ServiceName s : ServiceName.values()) {
            Map<String, String> p = ServiceConfig.properties(s, ports, paths, credentials);
            assertThat(p).containsEntry("server.port", Integer.toString(s.port(ports)))
                    .containsEntry("spring.datasource.url",
                            "jdbc:postgresql://127.0.0.1:15433/cocoplane?currentSchema=" + s.id())
                    .containsEntry("spring.datasource.username", "cocoplane")
                    .containsEntry("spring.kafka.bootstrap-servers", "127.0.0.1:19092");
        }
    }

    @Test
    void crossServiceWiringFollowsThePortMap() {
        Map<String, String> gw = ServiceConfig.properties(ServiceName.GATEWAY, ports, paths, credentials);
        assertThat(gw).containsEntry("cocoplane.gateway.upstreams.registry", "http://127.0.0.1:15000")
                .containsEntry("cocoplane.gateway.upstreams.orchestrator", "http://127.0.0.1:18083")
                .containsEntry("cocoplane.gateway.upstreams.keybroker", "http://127.0.0.1:18081")
                .containsEntry("cocoplane.gateway.upstreams.attestation", "http://127.0.0.1:18082")
                .containsEntry("cocoplane.gateway.upstreams.audit", "http://127.0.0.1:18084")
                .containsEntry("spring.security.oauth2.resourceserver.jwt.public-key-location",
                        "file:" + credentials.gatewayJwtPublicKey())
                .containsEntry("cocoplane.gateway.registry-clients[0].username", DevCredentials.REGISTRY_USER)
                .containsEntry("cocoplane.gateway.registry-clients[0].password-hash",
                        credentials.registryPasswordHash())
                .containsEntry("cocoplane.gateway.registry-clients[0].roles[0]", "admin")
                .containsEntry("cocoplane.gateway.registry-clients[1].username", DevCredentials.KATA_NODE_USER)
                .containsEntry("cocoplane.gateway.registry-clients[1].password-hash",
                        credentials.kataNodePasswordHash())
                .containsEntry("cocoplane.gateway.registry-clients[1].roles[0]", "deployer")
                .containsEntry("cocoplane.gateway.registry-token.private-key", credentials.registryTokenPrivateJwk())
                .containsEntry("cocoplane.gateway.keybroker-admin.private-key", credentials.gatewayAdminPrivateJwk());

        Map<String, String> reg = ServiceConfig.properties(ServiceName.REGISTRY, ports, paths, credentials);
        assertThat(reg).containsEntry("cocoplane.registry.auth.realm", "http://127.0.0.1:18080/auth/token")
                .containsEntry("cocoplane.registry.auth.jwks-file", credentials.registryTokenJwks().toString())
                .containsEntry("cocoplane.registry.auth.issuer", gw.get("cocoplane.gateway.registry-token.issuer"))
                .containsEntry("cocoplane.registry.auth.service", gw.get("cocoplane.gateway.registry-token.services[0]"))
                .containsEntry("cocoplane.registry.storage.root", paths.registryBlobs().toString());

        Map<String, String> kb = ServiceConfig.properties(ServiceName.KEYBROKER, ports, paths, credentials);
        assertThat(kb).containsEntry("cocoplane.keybroker.attestation.url", "http://127.0.0.1:18082")
                .containsEntry("cocoplane.keybroker.sample-tee.enabled", "true")
                .containsEntry("cocoplane.keybroker.admin.providers[0].issuer",
                        gw.get("cocoplane.gateway.keybroker-admin.issuer"))
                .containsEntry("cocoplane.keybroker.admin.providers[0].public-key-file",
                        credentials.gatewayAdminPublicKey().toString())
                .containsEntry("cocoplane.keybroker.admin.providers[1].public-key-file",
                        credentials.kbsAdminPublicKey().toString())
                .containsEntry("cocoplane.keybroker.master-key.key-files.k1",
                        credentials.keybrokerMasterKey().toString());

        Map<String, String> att = ServiceConfig.properties(ServiceName.ATTESTATION, ports, paths, credentials);
        assertThat(att).containsEntry("cocoplane.attestation.sample-tee.enabled", "true")
                .containsEntry("cocoplane.attestation.admin.public-key-file",
                        credentials.gatewayAdminPublicKey().toString())
                .containsEntry("cocoplane.attestation.admin.issuer", gw.get("cocoplane.gateway.keybroker-admin.issuer"));

        Map<String, String> orch = ServiceConfig.properties(ServiceName.ORCHESTRATOR, ports, paths, credentials);
        assertThat(orch).containsEntry("cocoplane.orchestrator.kubernetes.master-url", "http://127.0.0.1:16443")
                .containsEntry("cocoplane.orchestrator.init-data.kbs-url", "http://127.0.0.1:18081")
                .containsEntry("cocoplane.orchestrator.registry", "127.0.0.1:15000")
                .containsEntry("cocoplane.orchestrator.runtime-classes.coco-dev", "kata-qemu-coco-dev");
    }

    @Test
    void theWrittenFileIsOwnerOnlyAndReadsBackToTheSameValues() throws Exception {
        for (ServiceName s : ServiceName.values()) {
            Path file = ServiceConfig.write(s, ports, paths, credentials);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
            Properties read = new Properties();
            read.load(new StringReader(Files.readString(file)));
            Map<String, String> expected = ServiceConfig.properties(s, ports, paths, credentials);
            assertThat(read).hasSameSizeAs(expected);
            expected.forEach((k, v) -> assertThat(read.getProperty(k)).as(k).isEqualTo(v));
        }
    }

    @Test
    void escapingSurvivesTheCharactersPropertiesTreatSpecially() throws Exception {
        String tricky = " lead\\back\nnew\ttab é {\"k\":\"v\"} ^/kbs/v0/.+$ a=b:c #x !y";
        Properties read = new Properties();
        read.load(new StringReader("k=" + ServiceConfig.escape(tricky) + "\n"));
        assertThat(read.getProperty("k")).isEqualTo(tricky);
    }
}
