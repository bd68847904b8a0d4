package io.cocoplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The TCP ports of one local stack, all on 127.0.0.1. {@link #standard()} is ARCHITECTURE §6; {@link #free()} picks
 * free ports (tests). The KRaft controller listener needs a port of its own ({@code kafkaController}, 9093).
 *
 * @param gateway         gateway (8080)
 * @param keybroker       key broker (8081)
 * @param attestation     attestation service (8082)
 * @param orchestrator    orchestrator (8083)
 * @param audit           audit service (8084)
 * @param registry        registry (5000)
 * @param kafka           Kafka PLAINTEXT listener (9092)
 * @param kafkaController Kafka CONTROLLER listener (9093)
 * @param postgres        embedded PostgreSQL (5433)
 * @param kubernetes      simulated Kubernetes API (6443, plain HTTP)
 */
public record Ports(int gateway, int keybroker, int attestation, int orchestrator, int audit, int registry, int kafka,
                    int kafkaController, int postgres, int kubernetes) {

    /**
     * @throws IllegalArgumentException when a port is outside 1..65535 or two components share one
     */
    public Ports {
        Set<Integer> seen = new HashSet<>();
        for (int p : new int[] {gateway, keybroker, attestation, orchestrator, audit, registry, kafka, kafkaController,
                postgres, kubernetes}) {
            if (p < 1 || p > 65535) {
                throw new IllegalArgumentException("port out of range 1..65535: " + p);
            }
            if (!seen.add(p)) {
                throw new IllegalArgumentException("port " + p + " is given to two components");
            }
        }
    }

    /** @return the ports of ARCHITECTURE §6 (controller 9093) */
    public static Ports standard() {
        return new Ports(8080, 8081, 8082, 8083, 8084, 5000, 9092, 9093, 5433, 6443);
    }

    /**
     * @return ten distinct ports that were free on 127.0.0.1 a moment ago (another process may take one before the
     *         stack binds it; the stack then fails with a clear message)
     */
    public static Ports free() {
        List<ServerSocket> held = new ArrayList<>();
        try {
            int[] p = new int[10];
            for (int i = 0; i < p.length; i++) {
                ServerSocket s = new ServerSocket();
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                held.add(s);
                p[i] = s.getLocalPort();
            }
            return new Ports(p[0], p[1], p[2], p[3], p[4], p[5], p[6], p[7], p[8], p[9]);
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on 127.0.0.1", e);
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing a probe socket
                }
            }
        }
    }

    /** @return component name → port, in the order of ARCHITECTURE §6 */
    public Map<String, Integer> byComponent() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("gateway", gateway);
        m.put("keybroker", keybroker);
        m.put("attestation", attestation);
        m.put("orchestrator", orchestrator);
        m.put("audit", audit);
        m.put("registry", registry);
        m.put("kafka", kafka);
        m.put("kafka-controller", kafkaController);
        m.put("postgres", postgres);
        m.put("kubernetes", kubernetes);
        return m;
    }

    /**
     * Tries to bind each port on 127.0.0.1.
     *
     * @return one line per port that cannot be bound, {@code "<port> (<component>)"}; empty when all are free
     */
    public List<String> taken() {
        List<String> taken = new ArrayList<>();
        byComponent().forEach((name, port) -> {
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(true);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            } catch (IOException e) {
                taken.add(port + " (" + name + ")");
            }
        });
        return taken;
    }
}
