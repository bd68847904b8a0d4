package io.cocoplane.katasim;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A container image reference pinned by digest, with an explicit registry host:
 * {@code <host>[:port]/<repository>[:tag]@sha256:<64 hex>} (or {@code sha512}). The tag, if any, is ignored: the
 * digest decides what is pulled.
 *
 * @param registry   registry {@code host[:port]}
 * @param repository repository path, e.g. {@code team/app}
 * @param digest     {@code sha256:<hex>} or {@code sha512:<hex>}
 */
record ImageRef(String registry, String repository, String digest) {

    /** Longest accepted reference, in characters. */
    static final int MAX_LENGTH = 512;

    private static final Pattern REF = Pattern.compile(
            "((?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*"
                    + "(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+\\](?::[0-9]{1,5})?)/"
                    + "([a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)"
                    + "(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?"
                    + "@(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})");

    /**
     * @param reference the pod spec's image
     * @return the parsed reference
     * @throws IllegalArgumentException when it is longer than {@value #MAX_LENGTH}, not pinned by a sha256/sha512
     *                                  digest, names no registry host (a first component with {@code .} or {@code :}
     *                                  or {@code localhost}) or is malformed
     */
    static ImageRef parse(String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > MAX_LENGTH) {
            throw new IllegalArgumentException("image reference missing or longer than " + MAX_LENGTH);
        }
        Matcher m = REF.matcher(reference);
        if (!m.matches()) {
            throw new IllegalArgumentException("image reference " + reference + " is not <registry>/<repository>"
                    + "@sha256:<digest> (the simulated node pulls by digest only)");
        }
        String host = m.group(1);
        if (!host.contains(".") && !host.contains(":") && !host.equals("localhost")) {
            throw new IllegalArgumentException("image reference " + reference + " names no registry host");
        }
        return new ImageRef(host, m.group(2), m.group(3));
    }

    /** @return {@code registry/repository@digest} */
    @Override
    public String toString() {
        return registry + "/" + repository + "@" + digest;
    }

    /** @return the host part of {@link #registry()} without the port (brackets kept for IPv6) */
    String host() {
        if (registry.startsWith("[")) {
            return registry.substring(0, registry.indexOf(']') + 1);
        }
        int colon = registry.indexOf(':');
        return colon < 0 ? registry : registry.substring(0, colon);
    }
}
