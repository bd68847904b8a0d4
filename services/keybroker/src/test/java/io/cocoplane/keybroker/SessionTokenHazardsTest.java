package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import tools.jackson.databind.node.ObjectNode;

/**
 * Hazards of {@code kbs-attestation.md} §10 on the cookie path, each a regression test:
 * <ul>
 *   <li>#560 / #162 item 3 and #1377: the EAR token stored in an attested session is verified again on every
 *       resource request, so a session that outlives its token (session timeout 5 min vs token {@code exp}) or
 *       holds a forged token gets 401 {@code TokenVerifierError} and the guest re-attests;</li>
 *   <li>hazard 7: statuses are honest — a missing resource for an authorised workload is 404
 *       {@code ResourceNotFound} and a denial is 403 {@code PolicyDeny}, never the 401 that makes guests re-attest
 *       in a loop.</li>
 * </ul>
 * The session row is written directly (as {@code /attest} would) so that its token can be chosen.
 */
class SessionTokenHazardsTest extends KeyBrokerTestBase {

    private final TeeKeyPair keys = TeeKeyPair.generateEc();
    private String initHex;
    private String allowedButMissing;

    @BeforeEach
    void bindAWorkload() {
        String wl = unique("wl");
        allowedButMissing = "team-h/key/" + unique("absent");
        initHex = digest(initData(wl));
        schedule(wl, initHex, "sha256:" + "f".repeat(64), List.of(allowedButMissing));
    }

    private ObjectNode claims(String initDataHex, long lifetime) {
        ObjectNode rd = JSON.createObjectNode();
        rd.put("additional-evidence", "");
        rd.put("nonce", "bm9uY2U=");
        rd.set("tee-pubkey", keys.teePubKey().toJson());
        return AS.claims("snp", "affirming", initDataHex, rd, lifetime);
    }

    /** @return the cookie of a live, attested session holding {@code token} */
    private String attestedSession(String token) {
        String id = UUID.randomUUID().toString().replace("-", ""); // 32 lowercase hex, as the broker makes them
        Instant now = Instant.now();
        jdbc.update("INSERT INTO kbs_session (id, tee, nonce, nonce_used, created_at, expires_at, token, attested_at)"
                        + " VALUES (?, 'snp', ?, true, ?, ?, ?, ?)", id, "bm9uY2U=", Timestamp.from(now),
                Timestamp.from(now.plusSeconds(300)), token, Timestamp.from(now));
        return KbsClient.SESSION_COOKIE + "=" + id;
    }

    private HttpResponse<String> get(String path, String cookie) {
        return send("GET", "/kbs/v0/resource/" + path, null, "Cookie", cookie);
    }

    @Test
    void aStoredTokenIsVerifiedAgainOnEveryCookieRequest() throws Exception {
        // control: a valid stored token passes verification and reaches the policy (unbound init-data: 403)
        HttpResponse<String> control = get("team-h/key/other", attestedSession(AS.mint(claims(
                "00".repeat(32), 300))));
        assertThat(control.statusCode()).as(control.body()).isEqualTo(403);
        assertThat(variant(control)).isEqualTo("PolicyDeny");

        // the session is live (5 min) but its token expired: 401, the guest must attest again
        HttpResponse<String> expired = get(allowedButMissing, attestedSession(AS.mint(claims(initHex, -120))));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(variant(expired)).isEqualTo("TokenVerifierError");
        assertThat(expired.body()).contains("expired");

        // a stored token signed by another key under the service's kid
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(AS.signingKey().getKeyID()).generate();
        String forged = AS.sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(attacker.getKeyID()).build(), claims(initHex, 300), attacker);
        HttpResponse<String> refused = get(allowedButMissing, attestedSession(forged));
        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(variant(refused)).isEqualTo("TokenVerifierError");
        assertThat(refused.body()).contains("signature does not verify");
    }

    @Test
    void aMissingResourceIs404AndADenialIs403NeverA401() {
        String cookie = attestedSession(AS.mint(claims(initHex, 300)));
        HttpResponse<String> missing = get(allowedButMissing, cookie);
        assertThat(missing.statusCode()).as(missing.body()).isEqualTo(404);
        assertThat(variant(missing)).isEqualTo("ResourceNotFound");

        String notAllowed = "team-h/key/" + unique("other");
        putSecret(notAllowed, "x".getBytes(StandardCharsets.UTF_8));
        HttpResponse<String> denied = get(notAllowed, cookie);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(variant(denied)).isEqualTo("PolicyDeny");
    }
}
