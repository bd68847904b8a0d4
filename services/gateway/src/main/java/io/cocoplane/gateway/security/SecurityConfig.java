package io.cocoplane.gateway.security;

import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationConverter;
import org.springframework.security.oauth2.server.resource.authentication.JwtGrantedAuthoritiesConverter;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;

import io.cocoplane.gateway.GatewayProperties;
import io.cocoplane.gateway.web.Problems;
import tools.jackson.databind.json.JsonMapper;

/**
 * Who may call what. Two stateless filter chains:
 * <ol>
 *   <li>{@code /auth/token}: Basic credentials of a configured registry client (bcrypt) or a bearer JWT;</li>
 *   <li>everything else: bearer JWT (Boot's resource server: {@code jwk-set-uri}, {@code issuer-uri} or
 *       {@code public-key-location} under {@code spring.security.oauth2.resourceserver.jwt}), roles from the
 *       {@code roles} claim; public: OpenAPI, Swagger UI, the registry JWKS, health; {@code /api/v1} per role as in
 *       the README; anything else denied.</li>
 * </ol>
 * 401 and 403 are problem+json ({@link ProblemSecurityHandlers}).
 */
@Configuration
public class SecurityConfig {

    private static final Logger log = LoggerFactory.getLogger(SecurityConfig.class);

    /** @return roles claim to {@code ROLE_<role>} authorities */
    @Bean
    JwtAuthenticationConverter jwtAuthenticationConverter() {
        JwtGrantedAuthoritiesConverter roles = new JwtGrantedAuthoritiesConverter();
        roles.setAuthoritiesClaimName("roles");
        roles.setAuthorityPrefix(Roles.PREFIX);
        JwtAuthenticationConverter c = new JwtAuthenticationConverter();
        c.setJwtGrantedAuthoritiesConverter(roles);
        return c;
    }

    private static JwtDecoder decoder(ObjectProvider<JwtDecoder> decoders, Environment env) {
        JwtDecoder d = decoders.getIfAvailable();
        if (d == null) {
            throw new IllegalStateException("no JWT verification configured: set one of "
                    + "spring.security.oauth2.resourceserver.jwt.jwk-set-uri, .issuer-uri or .public-key-location");
        }
        if (env.containsProperty("spring.security.oauth2.resourceserver.jwt.public-key-location")
                && !env.containsProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")) {
            log.warn("DEVELOPMENT SETTING: JWTs are verified against a local public key without issuer check "
                    + "(spring.security.oauth2.resourceserver.jwt.public-key-location)");
        }
        return d;
    }

    /** @return the firewall's refusals (encoded slashes, {@code ..} segments …) as 400 problem+json */
    @Bean
    RequestRejectedHandler requestRejectedHandler(JsonMapper json) {
        return (request, response, e) -> Problems.write(request, response, json, Problems.of(HttpStatus.BAD_REQUEST,
                "invalid-request", "the request URL was rejected as malformed"));
    }

    @Bean
    @Order(1)
    SecurityFilterChain registryTokenChain(HttpSecurity http, GatewayProperties props, JsonMapper json,
                                           ObjectProvider<JwtDecoder> decoders, Environment env,
                                           JwtAuthenticationConverter converter) throws Exception {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(json, true);
        List<UserDetails> clients = props.registryClients().stream().map(c -> User.withUsername(c.username())
                .password(c.passwordHash()).roles(c.roles().toArray(String[]::new)).build()).toList();
        DaoAuthenticationProvider basic = new DaoAuthenticationProvider(new InMemoryUserDetailsManager(clients));
        basic.setPasswordEncoder(new BCryptPasswordEncoder());
        http.securityMatcher("/auth/token")
                .authorizeHttpRequests(a -> a.anyRequest().authenticated())
                .authenticationProvider(basic)
                .httpBasic(b -> b.authenticationEntryPoint(problems))
                .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder(decoders, env))
                                .jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }

    @Bean
    @Order(2)
    SecurityFilterChain apiChain(HttpSecurity http, JsonMapper json, ObjectProvider<JwtDecoder> decoders,
                                 Environment env, JwtAuthenticationConverter converter) throws Exception {
        ProblemSecurityHandlers problems = new ProblemSecurityHandlers(json, false);
        http.authorizeHttpRequests(a -> a
                        .requestMatchers("/v3/api-docs", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**",
                                "/auth/jwks.json", "/error", "/actuator/health", "/actuator/health/**")
                        .permitAll()
                        .requestMatchers("/api/v1/workloads", "/api/v1/workloads/**").hasRole(Roles.DEPLOYER)
                        .requestMatchers(HttpMethod.GET, "/api/v1/images", "/api/v1/images/**")
                        .hasRole(Roles.DEPLOYER)
                        .requestMatchers("/api/v1/secrets", "/api/v1/secrets/**", "/api/v1/policies/**",
                                "/api/v1/reference-values/**").hasRole(Roles.ADMIN)
                        .requestMatchers(HttpMethod.GET, "/api/v1/audit/**").hasRole(Roles.AUDITOR)
                        .requestMatchers("/actuator/**").hasRole(Roles.ADMIN)
                        .anyRequest().denyAll())
                .oauth2ResourceServer(o -> o.jwt(j -> j.decoder(decoder(decoders, env))
                                .jwtAuthenticationConverter(converter))
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .csrf(c -> c.disable());
        return http.build();
    }
}
