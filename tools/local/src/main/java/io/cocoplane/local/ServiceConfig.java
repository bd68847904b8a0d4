package io.cocoplane.local;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Spring configuration each service gets in the local stack: written to {@code config/<service>.properties}
 * (0600: it holds private keys) and passed with {@code --spring.config.additional-location}, so secrets never show in
 * {@code ps}. It sets the datasource, Kafka, ports, cross-service URLs and the development profile's keys; the sample
 * TEE is enabled in the attestation service and the key broker ({@link #SAMPLE_TEE}).
 */
public final class ServiceConfig {

    /** Whether the development profile accepts the {@code sample} TEE (always, for the local stack). */
    public static final boolean SAMPLE_TEE = true;
    /** Database name, user and password the services connect with. */
    public static final String DATABASE = "cocoplane";
    /** The registry's token service name (audience of registry tokens). */
    public static final String REGISTRY_SERVICE = "cocoplane-registry";
    /** Kata RuntimeClass per TEE kind, as the orchestrator maps them (its defaults). */
    public static final Map<String, String> RUNTIME_CLASSES = Map.of("snp", "kata-qemu-snp", "tdx", "kata-qemu-tdx",
            "coco-dev", "kata-qemu-coco-dev");

    private ServiceConfig() {
    }

    /**
     * @param service     the service
     * @param ports       the stack's ports
     * @param paths       the stack's directories
     * @param credentials the development credentials
     * @return property name → value, in a readable order
     */
    public static Map<String, String> properties(ServiceName service, Ports ports, StackPaths paths,
                                                 DevCredentials credentials) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("server.port", Integer.toString(service.port(ports)));
        p.put("spring.datasource.url", "jdbc:postgresql://127.0.0.1:" + ports.postgres() + "/" + DATABASE
                + "?currentSchema=" + service.id());
        p.put("spring.datasource.username", DATABASE);
        p.put("spring.datasource.password", DATABASE);
        // six pools on one small PostgreSQL: each backend costs memory, so idle connections retire after 30 s
        p.put("spring.datasource.hikari.maximum-pool-size", "5");
        p.put("spring.datasource.hikari.minimum-idle", "1");
        p.put("spring.datasource.hikari.idle-timeout", "30000");
        p.put("spring.kafka.bootstrap-servers", "127.0.0.1:" + ports.kafka());
        switch (service) {
            case GATEWAY -> {
                p.put("spring.security.oauth2.resourceserver.jwt.public-key-location",
                        "file:" + credentials.gatewayJwtPublicKey());
                p.put("cocoplane.gateway.upstreams.registry", url(ports.registry()));
                p.put("cocoplane.gateway.upstreams.orchestrator", url(ports.orchestrator()));
                p.put("cocoplane.gateway.upstreams.keybroker", url(ports.keybroker()));
                p.put("cocoplane.gateway.upstreams.attestation", url(ports.attestation()));
                p.put("cocoplane.gateway.upstreams.audit", url(ports.audit()));
                p.put("cocoplane.gateway.keybroker-admin.issuer", DevCredentials.GATEWAY_ISSUER);
                p.put("cocoplane.gateway.keybroker-admin.private-key", credentials.gatewayAdminPrivateJwk());
                p.put("cocoplane.gateway.registry-token.private-key", credentials.registryTokenPrivateJwk());
                p.put("cocoplane.gateway.registry-token.issuer", DevCredentials.GATEWAY_ISSUER);
                p.put("cocoplane.gateway.registry-token.services[0]", REGISTRY_SERVICE);
                p.put("cocoplane.gateway.registry-clients[0].username", credentials.registryUser());
                p.put("cocoplane.gateway.registry-clients[0].password-hash", credentials.registryPasswordHash());
                p.put("cocoplane.gateway.registry-clients[0].roles[0]", "admin");
                p.put("cocoplane.gateway.registry-clients[1].username", DevCredentials.KATA_NODE_USER);
                p.put("cocoplane.gateway.registry-clients[1].password-hash", credentials.kataNodePasswordHash());
                p.put("cocoplane.gateway.registry-clients[1].roles[0]", "deployer");
            }
            case REGISTRY -> {
                p.put("cocoplane.registry.storage.root", paths.registryBlobs().toString());
                p.put("cocoplane.registry.auth.jwks-file", credentials.registryTokenJwks().toString());
                p.put("cocoplane.registry.auth.realm", url(ports.gateway()) + "/auth/token");
                p.put("cocoplane.registry.auth.service", REGISTRY_SERVICE);
                p.put("cocoplane.registry.auth.issuer", DevCredentials.GATEWAY_ISSUER);
            }
            case ATTESTATION -> {
                p.put("cocoplane.attestation.sample-tee.enabled", Boolean.toString(SAMPLE_TEE));
                p.put("cocoplane.attestation.admin.public-key-file", credentials.gatewayAdminPublicKey().toString());
                p.put("cocoplane.attestation.admin.issuer", DevCredentials.GATEWAY_ISSUER);
            }
            case KEYBROKER -> {
                p.put("cocoplane.keybroker.attestation.url", url(ports.attestation()));
                p.put("cocoplane.keybroker.sample-tee.enabled", Boolean.toString(SAMPLE_TEE));
                p.put("cocoplane.keybroker.master-key.primary", "k1");
                p.put("cocoplane.keybroker.master-key.key-files.k1", credentials.keybrokerMasterKey().toString());
                p.put("cocoplane.keybroker.admin.providers[0].issuer", DevCredentials.GATEWAY_ISSUER);
                p.put("cocoplane.keybroker.admin.providers[0].public-key-file",
                        credentials.gatewayAdminPublicKey().toString());
                p.put("cocoplane.keybroker.admin.providers[1].issuer", DevCredentials.KBS_ADMIN_ISSUER);
                p.put("cocoplane.keybroker.admin.providers[1].public-key-file",
                        credentials.kbsAdminPublicKey().toString());
                p.put("cocoplane.keybroker.admin.rules[0].role", "admin");
                p.put("cocoplane.keybroker.admin.rules[0].allowed-endpoints", "^/kbs/v0/.+$");
            }
            case ORCHESTRATOR -> {
                p.put("cocoplane.orchestrator.kubernetes.master-url", url(ports.kubernetes()));
                p.put("cocoplane.orchestrator.kubernetes.namespaces[0]", "default");
                p.put("cocoplane.orchestrator.init-data.kbs-url", url(ports.keybroker()));
                p.put("cocoplane.orchestrator.registry", "127.0.0.1:" + ports.registry());
                RUNTIME_CLASSES.forEach((tee, rc) -> p.put("cocoplane.orchestrator.runtime-classes." + tee, rc));
            }
            case AUDIT -> {
                // defaults: origin cocoplane.local/audit, signing key kept in the audit schema
            }
        }
        return p;
    }

    /**
     * Writes {@link #properties} of one service as a 0600 properties file.
     *
     * @param service     the service
     * @param ports       the stack's ports
     * @param paths       the stack's directories
     * @param credentials the development credentials
     * @return the file
     */
    public static Path write(ServiceName service, Ports ports, StackPaths paths, DevCredentials credentials) {
        StringBuilder b = new StringBuilder("# generated by bin/cocoplane up for the local stack (development); "
                + "rewritten on every up\n");
        properties(service, ports, paths, credentials).forEach((k, v) -> b.append(k).append('=')
                .append(escape(v)).append('\n'));
        Path file = paths.config().resolve(service.id() + ".properties");
        SecureFiles.writeSecret(file, b.toString());
        return file;
    }

    /** Escapes a properties value: backslash, line breaks, a leading blank; non-ASCII as {@code \}{@code uXXXX}. */
    static String escape(String v) {
        StringBuilder b = new StringBuilder(v.length());
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                case ' ' -> b.append(i == 0 ? "\\ " : " ");
                default -> {
                    if (c < 0x20 || c > 0x7e) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }

    private static String url(int port) {
        return "http://127.0.0.1:" + port;
    }
}
