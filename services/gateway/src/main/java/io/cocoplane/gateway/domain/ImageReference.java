package io.cocoplane.gateway.domain;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OCI image reference as the distribution reference grammar defines it
 * ({@code github.com/distribution/reference}, {@code reference.go}), restricted to what a workload request may name:
 * the registry (domain) is required and so is a tag or a {@code sha256} digest (no implicit {@code latest}).
 *
 * <pre>
 * reference  := domain '/' path [ ':' tag ] [ '@' digest ]
 * domain     := host [ ':' port ]            host: DNS name or [IPv6]
 * path       := component ( '/' component )*  component := [a-z0-9]+ ( ( [._] | __ | -+ ) [a-z0-9]+ )*
 * tag        := [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
 * digest     := sha256:[a-f0-9]{64}
 * </pre>
 *
 * The first component counts as the registry only if it contains {@code .} or {@code :} or is {@code localhost}, as
 * Docker decides; {@code domain/path} is at most 255 characters.
 *
 * @param domain     registry host and optional port, e.g. {@code registry.local:5000}
 * @param repository repository path, e.g. {@code llm/chat}
 * @param tag        tag or null
 * @param digest     {@code sha256:<64 hex>} or null
 */
public record ImageReference(String domain, String repository, String tag, String digest) {

    /** Longest accepted {@code domain/path}, in characters (distribution's NameTotalLengthMax). */
    public static final int MAX_NAME_LENGTH = 255;

    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String DOMAIN = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*"
            + "|\\[[a-fA-F0-9:]+\\])(?::[0-9]{1,5})?";
    /** One repository path component. */
    static final String PATH_COMPONENT = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
    /** A repository path, without registry. */
    public static final Pattern REPOSITORY = Pattern.compile(PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern REFERENCE = Pattern.compile("(" + DOMAIN + ")/(" + PATH_COMPONENT + "(?:/"
            + PATH_COMPONENT + ")*)(?::([\\w][\\w.-]{0,127}))?(?:@(sha256:[a-f0-9]{64}))?");

    /**
     * @param text a reference such as {@code registry.local:5000/llm/chat:1} or
     *             {@code registry.local/llm/chat@sha256:…}
     * @return the parsed reference
     * @throws InvalidRequestException when it breaks the grammar, names no registry, or has neither tag nor digest
     */
    public static ImageReference parse(String text) {
        if (text == null || text.isEmpty() || text.length() > MAX_NAME_LENGTH + 1 + 128 + 1 + 71) {
            throw new InvalidRequestException("image reference is empty or too long");
        }
        Matcher m = REFERENCE.matcher(text);
        if (!m.matches()) {
            throw new InvalidRequestException("image reference does not follow the OCI reference grammar "
                    + "<registry>/<repository>[:<tag>][@sha256:<64 hex>]");
        }
        String domain = m.group(1);
        if (!(domain.contains(".") || domain.contains(":") || domain.equals("localhost"))) {
            throw new InvalidRequestException("image reference must name its registry (a host with '.' or ':', "
                    + "or localhost) before the repository");
        }
        if (domain.length() + 1 + m.group(2).length() > MAX_NAME_LENGTH) {
            throw new InvalidRequestException("image name longer than " + MAX_NAME_LENGTH + " characters");
        }
        if (m.group(3) == null && m.group(4) == null) {
            throw new InvalidRequestException("image reference needs a tag or a sha256 digest");
        }
        return new ImageReference(domain, m.group(2), m.group(3), m.group(4));
    }

    /**
     * @param repository a repository path without registry, e.g. {@code llm/chat}
     * @return whether it follows the OCI path grammar and is at most 255 characters
     */
    public static boolean isRepository(String repository) {
        return repository != null && !repository.isEmpty() && repository.length() <= MAX_NAME_LENGTH
                && REPOSITORY.matcher(repository).matches();
    }
}
