package io.cocoplane.testkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;

/**
 * Locates the read-only {@code shared/testdata} folder that lies beside a clone of the project
 * ({@code <clone>/../shared/testdata}) and is present in CI but not on a user's machine.
 *
 * <p>The project root is found by walking up from the working directory (a module folder during a Maven build) to the
 * first folder holding {@code mvnw}. The system property {@code cocoplane.shared.testdata} overrides the search.
 * Tests call {@link #require(String)}: when the folder is absent the test is <em>aborted</em> (reported as skipped)
 * with a message naming the path that was looked for, never failed and never silently passed.
 */
public final class SharedTestData {

    /** System property that names the testdata folder explicitly. */
    public static final String PROPERTY = "cocoplane.shared.testdata";

    private SharedTestData() {
    }

    /**
     * @return the {@code shared/testdata} folder, or empty when it is not beside the clone
     */
    public static Optional<Path> root() {
        String explicit = System.getProperty(PROPERTY);
        if (explicit != null && !explicit.isBlank()) {
            Path p = Path.of(explicit).toAbsolutePath().normalize();
            return Files.isDirectory(p) ? Optional.of(p) : Optional.empty();
        }
        return projectRoot().map(r -> r.resolveSibling("shared").resolve("testdata").normalize())
                .filter(Files::isDirectory);
    }

    /**
     * @return the project root: the nearest folder at or above the working directory that holds {@code mvnw}
     */
    public static Optional<Path> projectRoot() {
        Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path p = dir; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("mvnw"))) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /**
     * Resolves a path inside {@code shared/testdata}, aborting the calling test (JUnit assumption, reported as skipped)
     * with a clear message when the folder or the entry is absent.
     *
     * @param relative a path relative to {@code shared/testdata}, e.g. {@code "merkle/MANIFEST.md"}
     * @return the absolute path, which exists
     */
    public static Path require(String relative) {
        Optional<Path> root = root();
        Assumptions.assumeTrue(root.isPresent(),
                "skipped: ../shared/testdata is not beside this clone (looked from " + System.getProperty("user.dir")
                        + "; set -D" + PROPERTY + "=DIR to point at it)");
        Path p = root.get().resolve(relative);
        Assumptions.assumeTrue(Files.exists(p), "skipped: " + p + " is absent from shared/testdata");
        return p;
    }
}
