package io.cocoplane.local;

import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Where one local stack keeps its state: by default {@code <repo>/.cocoplane/local}. Everything the stack writes is
 * below {@link #home()}, so {@code bin/cocoplane reset} is one recursive delete.
 *
 * @param home the stack's directory
 */
public record StackPaths(Path home) {

    /** @throws IllegalArgumentException when {@code home} is null */
    public StackPaths {
        if (home == null) {
            throw new IllegalArgumentException("the stack directory is required");
        }
        home = home.toAbsolutePath().normalize();
    }

    /** @return generated keys (0700; private keys 0600) */
    public Path keys() {
        return home.resolve("keys");
    }

    /** @return development bearer tokens: {@code admin.jwt}, {@code deployer.jwt}, {@code auditor.jwt}, {@code kbs-admin.jwt} */
    public Path tokens() {
        return home.resolve("tokens");
    }

    /** @return one log per process ({@code <service>.log}, {@code kafka.log}, {@code postgres.log} …) */
    public Path logs() {
        return home.resolve("logs");
    }

    /** @return the generated Spring configuration of each service ({@code <service>.properties}, 0600) */
    public Path config() {
        return home.resolve("config");
    }

    /** @return PostgreSQL's data directory, kept across restarts */
    public Path postgres() {
        return home.resolve("postgres");
    }

    /** @return Kafka's log and metadata directory, kept across restarts */
    public Path kafka() {
        return home.resolve("kafka");
    }

    /** @return the registry's blob store */
    public Path registryBlobs() {
        return home.resolve("registry-blobs");
    }

    /** @return the kubeconfig of the simulated Kubernetes API */
    public Path kubeconfig() {
        return home.resolve("kubeconfig");
    }

    /** @return {@code COCOPLANE_REGISTRY_USER} / {@code COCOPLANE_REGISTRY_PASSWORD} for skopeo (0600) */
    public Path credentials() {
        return home.resolve("credentials.env");
    }

    /** @return the supervisor's state (pids, ports, phase) read by {@code status} and {@code down} */
    public Path stateFile() {
        return home.resolve("state.json");
    }

    /** @return the detached supervisor's console (progress and summary) */
    public Path supervisorOut() {
        return logs().resolve("supervisor.out");
    }

    /** @return the supervisor's own library log (slf4j: PostgreSQL starter, Kubernetes client) */
    public Path supervisorLog() {
        return logs().resolve("supervisor.log");
    }

    /** @return the simulated Kubernetes API's request log (java.util.logging of the supervisor) */
    public Path kubernetesLog() {
        return logs().resolve("kubernetes.log");
    }

    /** @return the services' extracted jars and class-data archives, {@code app/<service>/} ({@link AppCds}) */
    public Path app() {
        return home.resolve("app");
    }

    /**
     * Creates the stack's directories owner-only (0700); PostgreSQL's data directory is left to its starter.
     *
     * @throws UncheckedIOException when one cannot be created
     */
    public void create() {
        for (Path d : new Path[] {home, keys(), tokens(), logs(), config(), kafka(), registryBlobs(), app()}) {
            SecureFiles.directory(d);
        }
    }
}
