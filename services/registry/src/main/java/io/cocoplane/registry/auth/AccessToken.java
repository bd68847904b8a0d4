package io.cocoplane.registry.auth;

import java.util.List;

/**
 * A verified Docker registry token: who it was issued to and the {@code access} claim (distribution
 * {@code docs/content/spec/auth/jwt.md}).
 *
 * @param subject the {@code sub} claim, or null
 * @param access  the granted resource actions
 */
public record AccessToken(String subject, List<Access> access) {

    /** Copies the list. */
    public AccessToken {
        access = List.copyOf(access);
    }

    /**
     * @param scope a needed scope
     * @return true when some {@code access} entry of the same type and name grants every needed action ({@code *}
     *         grants all)
     */
    public boolean permits(Scope scope) {
        for (String action : scope.actions()) {
            boolean granted = access.stream().anyMatch(a -> a.type().equals(scope.type())
                    && a.name().equals(scope.name())
                    && (a.actions().contains(action) || a.actions().contains("*")));
            if (!granted) {
                return false;
            }
        }
        return true;
    }

    /**
     * One entry of the {@code access} claim.
     *
     * @param type    resource type
     * @param name    resource name
     * @param actions granted actions
     */
    public record Access(String type, String name, List<String> actions) {
        /** Copies the list. */
        public Access {
            actions = List.copyOf(actions);
        }
    }
}
