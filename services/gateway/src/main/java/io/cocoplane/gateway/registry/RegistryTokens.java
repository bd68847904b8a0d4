package io.cocoplane.gateway.registry;

import java.text.ParseException;
import java.time.Clock;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;

import io.cocoplane.gateway.GatewayProperties;
import io.cocoplane.gateway.domain.Keys;
import io.cocoplane.gateway.domain.RegistryScope;
import io.cocoplane.gateway.domain.RegistryTokenIssuer;

/**
 * The registry token issuer with its key: {@code cocoplane.gateway.registry-token.private-key} (EC P-256 JWK) when
 * configured, otherwise a key generated once and kept in {@code gateway.registry_signing_key} so that every replica
 * and every restart signs with the same key (the first replica to insert wins). Loaded on first use.
 */
@Component
public class RegistryTokens {

    private static final Logger log = LoggerFactory.getLogger(RegistryTokens.class);

    private final JdbcTemplate jdbc;
    private final GatewayProperties.RegistryToken settings;
    private volatile RegistryTokenIssuer issuer;

    /**
     * @param jdbc  template on schema {@code gateway}
     * @param props settings
     */
    public RegistryTokens(JdbcTemplate jdbc, GatewayProperties props) {
        this.jdbc = jdbc;
        this.settings = props.registryToken();
    }

    /**
     * @param subject  token subject
     * @param service  audience; must be one of the configured services
     * @param granted  granted scopes
     * @return the minted token
     */
    public RegistryTokenIssuer.Issued issue(String subject, String service, List<RegistryScope> granted) {
        return issuer().issue(subject, service, granted);
    }

    /** @return the public JWK Set */
    public JWKSet jwks() {
        return issuer().jwks();
    }

    /** @return the accepted {@code service} values */
    public List<String> services() {
        return settings.services();
    }

    private RegistryTokenIssuer issuer() {
        RegistryTokenIssuer i = issuer;
        if (i == null) {
            synchronized (this) {
                if (issuer == null) {
                    issuer = new RegistryTokenIssuer(loadKey(), settings.issuer(), settings.lifetime(),
                            Clock.systemUTC());
                }
                i = issuer;
            }
        }
        return i;
    }

    private ECKey loadKey() {
        if (settings.privateKey() != null && !settings.privateKey().isBlank()) {
            return Keys.p256FromJwk(settings.privateKey());
        }
        jdbc.update("INSERT INTO registry_signing_key (id, jwk) VALUES (1, ?) ON CONFLICT DO NOTHING",
                Keys.generateP256().toJSONString());
        String stored = jdbc.queryForObject("SELECT jwk FROM registry_signing_key WHERE id = 1", String.class);
        try {
            ECKey key = Keys.p256FromJwk(ECKey.parse(stored).toJSONString());
            log.info("registry tokens signed with the persisted key {}", key.getKeyID());
            return key;
        } catch (ParseException e) {
            throw new IllegalStateException("gateway.registry_signing_key holds no valid JWK", e);
        }
    }
}
