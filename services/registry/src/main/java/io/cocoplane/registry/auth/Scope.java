package io.cocoplane.registry.auth;

import java.util.List;

/**
 * A Docker token scope (distribution {@code docs/content/spec/auth/scope.md}): {@code <type>:<name>:<actions>}, for
 * example {@code repository:coco/fixture:pull,push} or {@code registry:catalog:*}.
 *
 * @param type    resource type: {@code repository} or {@code registry}
 * @param name    resource name: a repository name, or {@code catalog} / {@code gc} for {@code registry}
 * @param actions the actions needed, e.g. {@code pull}, {@code push}, {@code delete}, {@code *}
 */
public record Scope(String type, String name, List<String> actions) {

    /** Copies the actions. */
    public Scope {
        actions = List.copyOf(actions);
    }

    /** @return {@code repository:<name>:<actions...>} */
    public static Scope repository(String name, String... actions) {
        return new Scope("repository", name, List.of(actions));
    }

    /** @return {@code registry:<name>:*} */
    public static Scope registry(String name) {
        return new Scope("registry", name, List.of("*"));
    }

    /** @return the scope as it appears in a {@code WWW-Authenticate} challenge */
    public String challenge() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
