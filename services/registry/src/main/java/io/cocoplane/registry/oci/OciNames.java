package io.cocoplane.registry.oci;

import java.util.regex.Pattern;

/**
 * The name grammars of the OCI Distribution Spec v1.1.1 ("Pulling manifests") and image-spec {@code descriptor.md}:
 * repository names, tags and digests. Every check bounds the input length before running a regular expression.
 */
public final class OciNames {

    /** Longest repository name accepted (clients cap {@code host[:port]/name} at 255 characters). */
    public static final int MAX_NAME_LENGTH = 255;
    /** Longest tag (spec: 128 characters). */
    public static final int MAX_TAG_LENGTH = 128;

    private static final String COMPONENT = "[a-z0-9]+(?:(?:\\.|_|__|-+)[a-z0-9]+)*";
    private static final Pattern NAME = Pattern.compile(COMPONENT + "(?:/" + COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}");

    private OciNames() {
    }

    /** @return true when {@code name} matches the repository-name grammar and is at most 255 characters */
    public static boolean isValidName(String name) {
        return name != null && !name.isEmpty() && name.length() <= MAX_NAME_LENGTH && NAME.matcher(name).matches();
    }

    /**
     * @param name a repository name from a request
     * @return the name
     * @throws RegistryException NAME_INVALID (400) when it does not match the grammar (this covers {@code ..},
     *                           leading or doubled slashes, upper case and percent-encoding)
     */
    public static String requireName(String name) {
        if (!isValidName(name)) {
            throw new RegistryException(OciError.NAME_INVALID, "invalid repository name");
        }
        return name;
    }

    /** @return true when {@code tag} matches {@code [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}} */
    public static boolean isValidTag(String tag) {
        return tag != null && !tag.isEmpty() && tag.length() <= MAX_TAG_LENGTH && TAG.matcher(tag).matches();
    }

    /** @return true when a reference is a digest rather than a tag (tags cannot contain a colon) */
    public static boolean looksLikeDigest(String reference) {
        return reference != null && reference.indexOf(':') >= 0;
    }
}
