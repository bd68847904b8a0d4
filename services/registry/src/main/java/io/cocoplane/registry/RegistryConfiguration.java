package io.cocoplane.registry;

import java.io.IOException;
import java.text.ParseException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;

import io.cocoplane.registry.auth.TokenVerifier;
import io.cocoplane.registry.oci.BlobStore;
import io.cocoplane.registry.web.AuthGuard;

/** Wires the Spring-free pieces (the blob store and the token verifier) and sizes Tomcat's socket buffers. */
@Configuration(proxyBeanMethods = false)
public class RegistryConfiguration {

    private static final Logger log = LoggerFactory.getLogger(RegistryConfiguration.class);

    /**
     * Size in bytes of Tomcat's per-connection socket read buffer ({@code socket.appReadBufSize}, Tomcat default
     * 8 KiB). Blob uploads arrive as one large PATCH or PUT body; with 8 KiB the NIO connector reads them 8 KiB per
     * {@code read(2)} and parks the request thread between reads; 64 KiB cuts the syscalls and wake-ups by about eight.
     */
    static final int SOCKET_READ_BUFFER = 64 * 1024;

    @Bean
    BlobStore blobStore(RegistryProperties props) throws IOException {
        return new BlobStore(props.storage().root(), props.storage().fsync());
    }

    @Bean
    TomcatConnectorCustomizer socketReadBuffer() {
        return connector -> connector.setProperty("socket.appReadBufSize", Integer.toString(SOCKET_READ_BUFFER));
    }

    @Bean
    AuthGuard authGuard(RegistryProperties props) {
        RegistryProperties.Auth a = props.auth();
        if (a.disabled()) {
            log.warn("cocoplane.registry.auth.disabled=true: the registry accepts every request WITHOUT authentication"
                    + " (development only)");
            return new AuthGuard(null, a);
        }
        if (a.anonymousPull()) {
            log.warn("cocoplane.registry.auth.anonymous-pull=true: anyone who can reach the registry can pull");
        }
        return new AuthGuard(new TokenVerifier(keys(a), a.issuer(), a.service(), a.leeway()), a);
    }

    private static JWKSource<SecurityContext> keys(RegistryProperties.Auth a) {
        try {
            if (a.jwks() != null && !a.jwks().isBlank()) {
                return new ImmutableJWKSet<>(JWKSet.parse(a.jwks()).toPublicJWKSet());
            }
            if (a.jwksFile() != null) {
                return new ImmutableJWKSet<>(JWKSet.load(a.jwksFile().toFile()).toPublicJWKSet());
            }
            if (a.jwksUri() != null) {
                return JWKSourceBuilder.create(a.jwksUri().toURL()).retrying(true).build();
            }
        } catch (ParseException | IOException e) {
            throw new IllegalStateException("cocoplane.registry.auth: the JWK set cannot be read: " + e.getMessage(), e);
        }
        throw new IllegalStateException("cocoplane.registry.auth: set jwks, jwks-file or jwks-uri (the gateway's token"
                + " signing keys), or cocoplane.registry.auth.disabled=true for local development");
    }
}
