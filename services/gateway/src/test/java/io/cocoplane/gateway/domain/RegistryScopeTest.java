package io.cocoplane.gateway.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

class RegistryScopeTest {

    @Test
    void parsesNamesWithColonsAndResourceClasses() {
        assertThat(RegistryScope.parse("repository:team/app:pull,push"))
                .isEqualTo(new RegistryScope("repository", "team/app", List.of("pull", "push")));
        assertThat(RegistryScope.parse("repository(plugin):host:5000/app:pull"))
                .isEqualTo(new RegistryScope("repository", "host:5000/app", List.of("pull")));
        assertThat(RegistryScope.parse("registry:catalog:*").actions()).containsExactly("*");
        assertThatThrownBy(() -> RegistryScope.parse("repository:app")).isInstanceOf(InvalidRequestException.class);
        assertThatThrownBy(() -> RegistryScope.parse(":a:pull")).isInstanceOf(InvalidRequestException.class);
    }

    @Test
    void grantCutsActionsToTheRoles() {
        List<RegistryScope> asked = List.of(RegistryScope.parse("repository:foo:pull,push,delete"),
                RegistryScope.parse("repository:bar:*"), RegistryScope.parse("registry:catalog:*"),
                RegistryScope.parse("repository:Bad_Name:pull"));
        assertThat(RegistryScope.grant(asked, Set.of("deployer"))).containsExactly(
                new RegistryScope("repository", "foo", List.of("pull")),
                new RegistryScope("repository", "bar", List.of("pull")));
        assertThat(RegistryScope.grant(asked, Set.of("admin"))).containsExactly(
                new RegistryScope("repository", "foo", List.of("pull", "push", "delete")),
                new RegistryScope("repository", "bar", List.of("pull", "push", "delete")));
        assertThat(RegistryScope.grant(asked, Set.of("auditor"))).isEmpty();
        assertThat(RegistryScope.grant(asked, Set.of("root"))).isEmpty();
        assertThat(RegistryScope.grant(asked, Set.of("auditor", "deployer"))).hasSize(2);
    }
}
