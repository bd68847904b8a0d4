package io.cocoplane.gateway.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One Docker token scope ({@code distribution/docs/spec/auth/scope.md}): {@code <type>[(<class>)]:<name>:<actions>},
 * e.g. {@code repository:llm/chat:pull,push}. The name may itself contain {@code :} (a registry port), so the type is
 * what precedes the first colon and the actions what follows the last one.
 *
 * @param type    resource type, e.g. {@code repository} (a {@code (class)} suffix is dropped)
 * @param name    resource name
 * @param actions requested or granted actions, in order, without duplicates
 */
public record RegistryScope(String type, String name, List<String> actions) {

    /** Most scopes in one token request. */
    public static final int MAX_SCOPES = 32;
    /** Longest scope string, in characters. */
    public static final int MAX_SCOPE_LENGTH = 512;
    /** Actions of each gateway role on repositories (ARCHITECTURE §5). */
    public static final Map<String, Set<String>> REPOSITORY_ACTIONS_BY_ROLE = Map.of(
            "deployer", Set.of("pull"),
            "admin", Set.of("pull", "push", "delete"),
            "auditor", Set.of());
    private static final List<String> ACTION_ORDER = List.of("pull", "push", "delete");

    /** Copies the action list. */
    public RegistryScope {
        actions = List.copyOf(actions);
    }

    /**
     * @param scope one scope string
     * @return the parsed scope
     * @throws InvalidRequestException when malformed
     */
    public static RegistryScope parse(String scope) {
        if (scope == null || scope.isEmpty() || scope.length() > MAX_SCOPE_LENGTH) {
            throw new InvalidRequestException("scope empty or longer than " + MAX_SCOPE_LENGTH + " characters");
        }
        int first = scope.indexOf(':');
        int last = scope.lastIndexOf(':');
        if (first <= 0 || last == first) {
            throw new InvalidRequestException("scope must be <type>:<name>:<actions>");
        }
        String type = scope.substring(0, first);
        int paren = type.indexOf('(');
        if (paren > 0 && type.endsWith(")")) {
            type = type.substring(0, paren);
        }
        String name = scope.substring(first + 1, last);
        List<String> actions = Arrays.stream(scope.substring(last + 1).split(","))
                .map(String::trim).filter(a -> !a.isEmpty()).distinct().toList();
        if (!type.matches("[a-z0-9]+") || name.isEmpty()) {
            throw new InvalidRequestException("scope must be <type>:<name>:<actions>");
        }
        return new RegistryScope(type, name, actions);
    }

    /**
     * Cuts requested scopes down to what the roles allow: only {@code repository} scopes whose name follows the OCI
     * repository grammar are granted, with the union of the roles' actions ({@code *} asks for all of them); scopes of
     * one repository are merged; a scope left with no action is dropped.
     *
     * @param requested parsed scopes, in request order
     * @param roles     the caller's gateway roles (unknown roles grant nothing)
     * @return the granted scopes, in request order
     */
    public static List<RegistryScope> grant(List<RegistryScope> requested, Set<String> roles) {
        Set<String> allowed = new LinkedHashSet<>();
        for (String role : roles) {
            allowed.addAll(REPOSITORY_ACTIONS_BY_ROLE.getOrDefault(role, Set.of()));
        }
        Map<String, Set<String>> byName = new LinkedHashMap<>();
        for (RegistryScope s : requested) {
            if (!s.type().equals("repository") || !ImageReference.isRepository(s.name())) {
                continue;
            }
            Set<String> got = byName.computeIfAbsent(s.name(), n -> new LinkedHashSet<>());
            for (String a : s.actions()) {
                if (a.equals("*")) {
                    got.addAll(allowed);
                } else if (allowed.contains(a)) {
                    got.add(a);
                }
            }
        }
        List<RegistryScope> out = new ArrayList<>();
        byName.forEach((name, actions) -> {
            if (!actions.isEmpty()) {
                out.add(new RegistryScope("repository", name,
                        ACTION_ORDER.stream().filter(actions::contains).toList()));
            }
        });
        return out;
    }

    @Override
    public String toString() {
        return type + ":" + name + ":" + String.join(",", actions);
    }
}
