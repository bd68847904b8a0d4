package io.cocoplane.eventing;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.mock.env.MockEnvironment;

import io.cocoplane.eventing.platform.PlainHttpGuard;

class PlainHttpGuardTest {

    @Test
    void plainHttpOnLoopbackIsAllowed() {
        assertThatCode(() -> PlainHttpGuard.check(new MockEnvironment().withProperty("server.address", "127.0.0.1")))
                .doesNotThrowAnyException();
        assertThatCode(() -> PlainHttpGuard.check(new MockEnvironment().withProperty("server.address", "::1")))
                .doesNotThrowAnyException();
    }

    @Test
    void plainHttpOnAllInterfacesIsRefusedUnlessExplicitlyAllowed() {
        assertThatThrownBy(() -> PlainHttpGuard.check(new MockEnvironment().withProperty("server.address", "0.0.0.0")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("refusing to serve plain HTTP on 0.0.0.0");
        assertThatThrownBy(() -> PlainHttpGuard.check(new MockEnvironment()))
                .isInstanceOf(IllegalStateException.class);
        assertThatCode(() -> PlainHttpGuard.check(new MockEnvironment().withProperty("server.address", "0.0.0.0")
                .withProperty("cocoplane.http.allow-plain", "true"))).doesNotThrowAnyException();
    }

    @Test
    void anSslBundleMakesAnyAddressAcceptable() {
        assertThatCode(() -> PlainHttpGuard.check(new MockEnvironment().withProperty("server.address", "0.0.0.0")
                .withProperty("server.ssl.bundle", "cocoplane"))).doesNotThrowAnyException();
    }
}
