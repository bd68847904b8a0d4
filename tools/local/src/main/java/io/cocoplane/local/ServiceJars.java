package io.cocoplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.EnumMap;
import java.util.Map;

/** Finds the services' runnable jars ({@code services/<id>/target/<id>-<version>-exec.jar}) in a clone. */
public final class ServiceJars {

    /** Prefix of the system properties {@link #fromSystemProperties()} reads, e.g. {@code cocoplane.local.jar.audit}. */
    public static final String PROPERTY_PREFIX = "cocoplane.local.jar.";

    private ServiceJars() {
    }

    /**
     * The jars a Maven test run names: {@code cocoplane.local.jar.<id>} for each service (set by the pom from the
     * {@code exec} dependencies through {@code dependency:properties}).
     *
     * @return service → jar path (existence is checked by {@link LocalStack.Options})
     * @throws LocalStack.StackException naming the services whose property is missing or blank
     */
    public static Map<ServiceName, Path> fromSystemProperties() {
        Map<ServiceName, Path> jars = new EnumMap<>(ServiceName.class);
        StringBuilder missing = new StringBuilder();
        for (ServiceName s : ServiceName.values()) {
            String p = System.getProperty(PROPERTY_PREFIX + s.id());
            if (p == null || p.isBlank()) {
                missing.append(missing.isEmpty() ? "" : ", ").append(PROPERTY_PREFIX).append(s.id());
            } else {
                jars.put(s, Path.of(p));
            }
        }
        if (!missing.isEmpty()) {
            throw new LocalStack.StackException("system properties not set: " + missing
                    + " (the pom sets them from the services' exec jars)");
        }
        return jars;
    }

    /**
     * @param repoRoot the clone's root (holds {@code services/})
     * @return service → its newest {@code -exec.jar}
     * @throws LocalStack.StackException naming the services without a jar and the command that builds them
     */
    public static Map<ServiceName, Path> inRepository(Path repoRoot) {
        Map<ServiceName, Path> jars = new EnumMap<>(ServiceName.class);
        StringBuilder missing = new StringBuilder();
        for (ServiceName s : ServiceName.values()) {
            Path target = repoRoot.resolve("services").resolve(s.id()).resolve("target");
            Path newest = null;
            FileTime newestTime = null;
            if (Files.isDirectory(target)) {
                try (DirectoryStream<Path> ds = Files.newDirectoryStream(target, s.id() + "-*-exec.jar")) {
                    for (Path p : ds) {
                        FileTime t = Files.getLastModifiedTime(p);
                        if (newestTime == null || t.compareTo(newestTime) > 0) {
                            newest = p;
                            newestTime = t;
                        }
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot list " + target, e);
                }
            }
            if (newest == null) {
                missing.append(missing.isEmpty() ? "" : ", ").append(s.id());
            } else {
                jars.put(s, newest);
            }
        }
        if (!missing.isEmpty()) {
            throw new LocalStack.StackException("no runnable jar for " + missing + " under " + repoRoot.resolve(
                    "services") + "/<service>/target: bin/cocoplane builds them (or ./mvnw -B package -DskipTests"
                    + " -pl tools/local -am)");
        }
        return jars;
    }
}
