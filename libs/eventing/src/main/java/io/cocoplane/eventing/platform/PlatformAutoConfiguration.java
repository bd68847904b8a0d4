package io.cocoplane.eventing.platform;

import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Service conventions that need beans: the plain-HTTP guard for web services, and on Tomcat the
 * {@link ProblemErrorReportValve} (container-level errors as problem+json).
 */
@AutoConfiguration
@ConditionalOnWebApplication
public class PlatformAutoConfiguration {

    @Bean
    InitializingBean cocoplanePlainHttpGuard(Environment env) {
        return () -> PlainHttpGuard.check(env);
    }

    /** Tomcat only (the services' server); absent classes leave this configuration out. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory")
    static class TomcatErrors {

        @Bean
        WebServerFactoryCustomizer<TomcatServletWebServerFactory> cocoplaneProblemErrorReport() {
            // the context is already a child of the (not yet started) host when the customizers run; the host adds
            // its error report valve by this class name when it starts
            return factory -> factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(ProblemErrorReportValve.class.getName());
                }
            });
        }
    }
}
