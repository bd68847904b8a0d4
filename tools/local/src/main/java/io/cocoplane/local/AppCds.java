package io.cocoplane.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Class-data sharing for the service JVMs (JDK 19+ dynamic AppCDS): each service's exec jar is extracted once with
 * Spring Boot's {@code -Djarmode=tools extract} (CDS cannot archive classes from the nested jars of an uber jar) into
 * {@code .cocoplane/local/app/<service>/}, and started from there with
 * {@code -XX:SharedArchiveFile=<dir>/app.jsa -XX:+AutoCreateSharedArchive}: the first run writes the archive when
 * the JVM exits (so an orderly {@code down}), later runs map it and load classes without parsing and verifying them
 * again. A rebuilt exec jar (other size or modification time) is extracted again and its archive recreated; the JVM
 * itself recreates an archive that no longer matches its class path or JDK.
 */
public final class AppCds {

    private static final String MARKER = "extracted-from";

    private AppCds() {
    }

    /**
     * Extracts {@code execJar} unless the extraction in {@code dir} was made from the same file (path, size,
     * modification time).
     *
     * @param java    the {@code java} executable
     * @param execJar the service's exec jar
     * @param dir     the extraction directory, {@code app/<service>}
     * @return the command-line tail that runs the service from the extraction with its archive:
     *         {@code -XX:SharedArchiveFile=… -XX:+AutoCreateSharedArchive -jar <dir>/<jar>}
     * @throws LocalStack.StackException when the extraction fails
     */
    public static List<String> prepare(Path java, Path execJar, Path dir) {
        String source;
        try {
            source = execJar.toAbsolutePath() + " " + Files.size(execJar) + " "
                    + Files.getLastModifiedTime(execJar).toMillis();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + execJar, e);
        }
        Path app = dir.resolve(execJar.getFileName());
        String recorded = SecureFiles.readIfExists(dir.resolve(MARKER));
        if (recorded == null || !recorded.strip().equals(source) || !Files.isRegularFile(app)) {
            SecureFiles.deleteRecursively(dir);
            SecureFiles.directory(dir);
            extract(java, execJar, dir);
            SecureFiles.writePublic(dir.resolve(MARKER), source + "\n");
        }
        List<String> tail = new ArrayList<>();
        tail.add("-XX:SharedArchiveFile=" + dir.resolve("app.jsa"));
        tail.add("-XX:+AutoCreateSharedArchive");
        tail.add("-jar");
        tail.add(app.toString());
        return tail;
    }

    private static void extract(Path java, Path execJar, Path dir) {
        Path log = dir.resolve("extract.log");
        try {
            Process p = new ProcessBuilder(java.toString(), "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC",
                    "-Djarmode=tools", "-jar", execJar.toString(), "extract", "--destination", dir.toString(),
                    "--force")
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LocalStack.StackException("extracting " + execJar + " took more than 120 s");
            }
            if (p.exitValue() != 0) {
                throw new LocalStack.StackException("extracting " + execJar + " failed (exit " + p.exitValue()
                        + "): " + ChildProcess.tail(log, 10));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + java + " to extract " + execJar, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStack.StackException("interrupted while extracting " + execJar);
        }
    }
}
