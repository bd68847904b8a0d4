package io.cocoplane.local;

import java.time.Duration;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClass;
import io.fabric8.kubernetes.api.model.node.v1.RuntimeClassBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;

/**
 * The simulated Kubernetes API: fabric8's mock server in CRUD mode (kata-orchestration.md §8.1: informers and
 * watches work, no controllers, no scheduling, state in memory only), plain HTTP on 127.0.0.1. At start it holds
 * namespace {@code default} and the node.k8s.io/v1 RuntimeClasses of {@link ServiceConfig#RUNTIME_CLASSES}, and a
 * kubeconfig pointing at it is written.
 */
public final class KubernetesApiNode implements AutoCloseable {

    /** Context, cluster and user name in the kubeconfig. */
    public static final String CONTEXT = "cocoplane-local";

    private final KubernetesMockServer server;
    private final KubernetesClient client;
    private final int port;

    private KubernetesApiNode(KubernetesMockServer server, KubernetesClient client, int port) {
        this.server = server;
        this.client = client;
        this.port = port;
    }

    /**
     * @param port       TCP port on 127.0.0.1
     * @param kubeconfig where to write the kubeconfig
     * @return the running API with its seed objects
     * @throws IllegalStateException when the port cannot be bound
     */
    public static KubernetesApiNode start(int port, Path kubeconfig) {
        KubernetesMockServer server = new KubernetesMockServer(new Context(Serialization.jsonMapper()),
                new MockWebServer(), new HashMap<>(), new KubernetesMixedDispatcher(new HashMap<>()), false);
        try {
            server.init(InetAddress.getByName("127.0.0.1"), port);
        } catch (UnknownHostException | RuntimeException e) {
            throw new IllegalStateException("the simulated Kubernetes API cannot listen on 127.0.0.1:" + port + ": "
                    + e.getMessage(), e);
        }
        KubernetesClient client = server.createClient();
        try {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("default").endMetadata()
                    .build()).createOr(r -> r.update());
            for (String rc : new TreeMap<>(invert(ServiceConfig.RUNTIME_CLASSES)).keySet()) {
                RuntimeClass runtimeClass = new RuntimeClassBuilder().withNewMetadata().withName(rc).endMetadata()
                        .withHandler(rc).build();
                client.resources(RuntimeClass.class).resource(runtimeClass).createOr(r -> r.update());
            }
        } catch (RuntimeException e) {
            client.close();
            server.destroy();
            throw e;
        }
        SecureFiles.writePublic(kubeconfig, kubeconfig(port));
        return new KubernetesApiNode(server, client, port);
    }

    private static Map<String, String> invert(Map<String, String> m) {
        Map<String, String> r = new HashMap<>();
        m.forEach((k, v) -> r.put(v, k));
        return r;
    }

    /**
     * @param port the API's port on 127.0.0.1
     * @return a kubeconfig for it (plain HTTP, a placeholder token: the simulated API checks none)
     */
    static String kubeconfig(int port) {
        return """
                # cocoplane local stack: the simulated Kubernetes API (fabric8 mock server, CRUD, state in memory)
                apiVersion: v1
                kind: Config
                clusters:
                - name: %1$s
                  cluster:
                    server: http://127.0.0.1:%2$d
                contexts:
                - name: %1$s
                  context:
                    cluster: %1$s
                    user: %1$s
                    namespace: default
                current-context: %1$s
                users:
                - name: %1$s
                  user:
                    token: local-development
                """.formatted(CONTEXT, port);
    }

    /** @return a client of the simulated API (for the simulated Kata node); closed with this node */
    public KubernetesClient client() {
        return client;
    }

    /** @return the API's URL */
    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /**
     * Stops the client and the mock server, waiting at most 10 s for the server: fabric8's mock server can block in
     * a watch's Vert.x send while it shuts down (seen once in a benchmark run, which then never ended); the stack's
     * stop must go on to PostgreSQL regardless.
     */
    @Override
    public void close() {
        client.close();
        Thread stopper = new Thread(server::destroy, "kubernetes-api-stop");
        stopper.setDaemon(true);
        stopper.start();
        try {
            stopper.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
