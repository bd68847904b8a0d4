package io.cocoplane.eventing.platform;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** Service conventions that need beans: the plain-HTTP guard for web services. */
@AutoConfiguration
@ConditionalOnWebApplication
public class PlatformAutoConfiguration {

    @Bean
    InitializingBean cocoplanePlainHttpGuard(Environment env) {
        return () -> PlainHttpGuard.check(env);
    }
}
