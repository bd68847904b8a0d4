package io.cocoplane.gateway.web;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

import io.cocoplane.gateway.GatewayProperties;
import io.cocoplane.gateway.security.RateLimitInterceptor;
import io.cocoplane.gateway.security.WriteRateLimiter;
import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import tools.jackson.databind.json.JsonMapper;

/** Rate limiting of {@code /api/v1} writes and the OpenAPI description's metadata. */
@Configuration
public class WebConfig implements WebMvcConfigurer {

    private final RateLimitInterceptor rateLimit;

    /**
     * @param props settings
     * @param json  mapper
     */
    public WebConfig(GatewayProperties props, JsonMapper json) {
        GatewayProperties.RateLimit r = props.rateLimit();
        this.rateLimit = new RateLimitInterceptor(new WriteRateLimiter(r.limitForPeriod(), r.refreshPeriod(),
                r.maxSubjects()), json);
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(rateLimit).addPathPatterns("/api/v1/**");
    }

    /** @return title, version and the bearer scheme of the API */
    @Bean
    OpenAPI cocoplaneOpenApi() {
        return new OpenAPI()
                .info(new Info().title("cocoplane gateway").version("v1")
                        .description("Public API of cocoplane: workloads, images, secrets, policies, audit."))
                .components(new Components().addSecuritySchemes("bearer", new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList("bearer"));
    }
}
