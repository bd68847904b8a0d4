package io.cocoplane.orchestrator.domain;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCI image reference as a deployer writes it: {@code [registry/]repository[:tag][@sha256:<64 hex>]}
 * (distribution/reference grammar). The first path component is a registry host when it contains a {@code .} or a
 * {@code :} or is {@code localhost}; otherwise the whole path is the repository. Without tag and digest the tag is
 * {@code latest}.
 *
 * @param registry   registry host[:port], or {@code null} when the reference names none
 * @param repository repository path, e.g. {@code team/llm-server} (lowercase components)
 * @param tag        tag, or {@code null} when only a digest is given
 * @param digest     {@code sha256:<64 hex>}, or {@code null}
 */
public record ImageReference(String registry, String repository, String tag, String digest) {

    /** Longest accepted reference, in characters. */
    public static final int MAX_LENGTH = 512;

    private static final Pattern HOST = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*(?::[0-9]{1,5})?");
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");

    /**
     * Parses a reference.
     *
     * @param reference the text
     * @return the reference, or empty when it is {@code null}, longer than {@value #MAX_LENGTH} characters or
     *         malformed
     */
    public static Optional<ImageReference> parse(String reference) {
        if (reference == null || reference.isEmpty() || reference.length() > MAX_LENGTH) {
            return Optional.empty();
        }
        String rest = reference;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.empty();
            }
        }
        String registry = null;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                if (!HOST.matcher(first).matches()) {
                    return Optional.empty();
                }
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon >= 0) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.empty();
            }
        }
        if (rest.isEmpty()) {
            return Optional.empty();
        }
        for (String component : rest.split("/", -1)) {
            Matcher m = COMPONENT.matcher(component);
            if (!m.matches()) {
                return Optional.empty();
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
        }
        return Optional.of(new ImageReference(registry, rest, tag, digest));
    }

    /**
     * @param digest         the manifest digest to pin
     * @param defaultRegistry registry to use when this reference names none
     * @return {@code <registry>/<repository>@<digest>} (no tag, so the kubelet and the agent policy see the same name)
     */
    public String pinned(String digest, String defaultRegistry) {
        String host = registry != null ? registry : defaultRegistry;
        return (host == null || host.isEmpty() ? "" : host + "/") + repository + "@" + digest;
    }
}
