package io.cocoplane.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

/** Reading request bodies from files or stdin with a size cap, and the path rules the gateway enforces. */
final class Bodies {

    /** Gateway cap on request bodies other than secrets. */
    static final int MAX_BODY_BYTES = 256 * 1024;
    /** Gateway cap on secret values. */
    static final int MAX_SECRET_BYTES = 1024 * 1024;
    /** One KBS path segment (gateway README, workload request). */
    static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");
    /** A policy id or reference value name. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}");

    private Bodies() {
    }

    static byte[] read(BaseCommand c, String source, int max) throws IOException {
        byte[] data;
        if (source.equals("-")) {
            data = System.in.readNBytes(max + 1);
        } else {
            Path p = Path.of(source);
            if (!Files.isRegularFile(p)) {
                throw c.usage("no such file: " + source);
            }
            try (InputStream in = Files.newInputStream(p)) {
                data = in.readNBytes(max + 1);
            }
        }
        if (data.length > max) {
            throw c.usage(source + " is larger than " + max + " bytes");
        }
        return data;
    }

    /** @return application/json when the bytes are a JSON document, else text/plain (e.g. Rego) */
    static String guessContentType(byte[] data) {
        try {
            Json.MAPPER.readTree(data);
            return "application/json";
        } catch (RuntimeException e) {
            return "text/plain; charset=utf-8";
        }
    }

    /** Validates {@code repository/type/tag} (three segments, no dot segments). */
    static String kbsPath(BaseCommand c, String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 3) {
            throw c.usage("a secret path is <repository>/<type>/<tag>: " + path);
        }
        for (String s : parts) {
            if (!SEGMENT.matcher(s).matches() || s.equals("..")) {
                throw c.usage("invalid path segment '" + s + "' (allowed: [A-Za-z0-9._-], at most 128, not "
                        + "starting with a dot)");
            }
        }
        return path;
    }

    static String name(BaseCommand c, String name, String what) {
        if (!NAME.matcher(name).matches()) {
            throw c.usage("invalid " + what + ": " + name);
        }
        return name;
    }
}
