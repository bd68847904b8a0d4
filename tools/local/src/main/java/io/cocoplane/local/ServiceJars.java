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

    private ServiceJars() {
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
