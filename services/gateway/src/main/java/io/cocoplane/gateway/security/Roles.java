package io.cocoplane.gateway.security;

import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;

/**
 * The gateway roles (ARCHITECTURE §5), taken from the JWT claim {@code roles} (array of strings) or from a registry
 * client's configuration, as authorities {@code ROLE_<role>}.
 */
public final class Roles {

    /** Secrets, policies, reference values; push and delete in the registry. */
    public static final String ADMIN = "admin";
    /** Workloads and image reads; pull in the registry. */
    public static final String DEPLOYER = "deployer";
    /** Audit reads. */
    public static final String AUDITOR = "auditor";
    /** Authority prefix. */
    public static final String PREFIX = "ROLE_";

    private Roles() {
    }

    /**
     * @param auth an authentication
     * @return its role names without prefix
     */
    public static Set<String> of(Authentication auth) {
        return auth.getAuthorities().stream().map(GrantedAuthority::getAuthority)
                .filter(a -> a.startsWith(PREFIX)).map(a -> a.substring(PREFIX.length()))
                .collect(Collectors.toUnmodifiableSet());
    }
}
