package io.cocoplane.gateway.upstream;

import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import io.cocoplane.gateway.GatewayProperties;
import io.cocoplane.gateway.domain.KbsAdminTokenMinter;
import io.cocoplane.gateway.domain.Keys;

/**
 * The gateway's admin credential for the key broker and attestation admin APIs: an Ed25519 key from
 * {@code cocoplane.gateway.keybroker-admin.private-key} (PKCS#8 PEM or OKP JWK) that signs a fresh short-lived JWT per
 * call ({@link KbsAdminTokenMinter}). Without a key the admin endpoints answer 503; the gateway never makes one up.
 */
@Component
public class AdminCredential {

    private static final Logger log = LoggerFactory.getLogger(AdminCredential.class);

    private final KbsAdminTokenMinter minter;

    /**
     * @param props settings
     * @throws IllegalArgumentException when a configured key cannot be read (fails the start)
     */
    public AdminCredential(GatewayProperties props) {
        GatewayProperties.KeybrokerAdmin s = props.keybrokerAdmin();
        if (s.privateKey() == null || s.privateKey().isBlank()) {
            log.warn("no key broker admin credential configured (cocoplane.gateway.keybroker-admin.private-key): "
                    + "secret, policy and reference-value writes will answer 503");
            this.minter = null;
        } else {
            this.minter = new KbsAdminTokenMinter(Keys.ed25519PrivateKey(s.privateKey()), s.issuer(),
                    s.tokenLifetime(), Clock.systemUTC());
        }
    }

    /**
     * @param onBehalfOf subject of the caller
     * @return a fresh admin JWT
     * @throws AdminCredentialMissingException when no key is configured
     */
    public String mint(String onBehalfOf) {
        if (minter == null) {
            throw new AdminCredentialMissingException();
        }
        return minter.mint(onBehalfOf);
    }
}
