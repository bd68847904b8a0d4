package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import tools.jackson.databind.node.ObjectNode;

/**
 * EAR tokens presented as {@code Authorization: Bearer} (passport mode): a control token that works, then each forgery
 * or refusal on its own, each differing from the control in one respect.
 */
class TokenRefusalTest extends KeyBrokerTestBase {

    private final TeeKeyPair keys = TeeKeyPair.generateEc();
    private String path;
    private String initHex;
    private final byte[] secret = "bearer secret".getBytes(StandardCharsets.UTF_8);

    @BeforeEach
    void bindAWorkload() {
        String wl = unique("wl");
        path = "team-c/key/" + unique("t");
        putSecret(path, secret);
        initHex = digest(initData(wl));
        schedule(wl, initHex, "sha256:" + "e".repeat(64), List.of(path));
    }

    private ObjectNode claims(String tee, String status, long lifetime) {
        ObjectNode rd = JSON.createObjectNode();
        rd.put("additional-evidence", "");
        rd.put("nonce", "bm9uY2U=");
        rd.set("tee-pubkey", keys.teePubKey().toJson());
        return AS.claims(tee, status, initHex, rd, lifetime);
    }

    private HttpResponse<String> get(String token) {
        return send("GET", "/kbs/v0/resource/" + path, null, "Authorization", "Bearer " + token);
    }

    private static ErrorInformation error(HttpResponse<String> r) {
        return ErrorInformation.parse(r.body().getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theControlTokenIsReleasedTo() {
        HttpResponse<String> r = get(AS.mint(claims("snp", "affirming", 300)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JweCodec.defaults().decrypt(Response.parse(r.body().getBytes(StandardCharsets.UTF_8)),
                keys.privateKey())).isEqualTo(secret);
    }

    @Test
    void aTokenSignedByAKeyInItsOwnHeaderIsRefused() throws Exception {
        ECKey attacker = new ECKeyGenerator(Curve.P_256).keyID(AS.signingKey().getKeyID()).generate();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(attacker.getKeyID()).jwk(attacker.toPublicJWK()).build();
        HttpResponse<String> r = get(AS.sign(header, claims("snp", "affirming", 300), attacker));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).variant()).isEqualTo("TokenVerifierError");
        assertThat(error(r).detail()).contains("carries its own key");
        // a header jwk is refused even when the signature is the attestation service's own
        JWSHeader genuine = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(AS.signingKey().getKeyID())
                .jwk(AS.signingKey().toPublicJWK()).build();
        assertThat(get(AS.sign(genuine, claims("snp", "affirming", 300), AS.signingKey())).statusCode())
                .isEqualTo(401);
        // and without the header key, the attacker's signature does not verify under the JWKS
        JWSHeader plain = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(AS.signingKey().getKeyID()).build();
        HttpResponse<String> forged = get(AS.sign(plain, claims("snp", "affirming", 300), attacker));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(error(forged).detail()).contains("signature does not verify");
    }

    @Test
    void anExpiredTokenIsRefused() {
        HttpResponse<String> r = get(AS.mint(claims("snp", "affirming", -120)));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).variant()).isEqualTo("TokenVerifierError");
        assertThat(error(r).detail()).contains("expired");
    }

    @Test
    void aSampleTeeTokenIsRefusedWhileSampleIsDisabled() {
        HttpResponse<String> r = get(AS.mint(claims("sample", "affirming", 300)));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r).variant()).isEqualTo("PolicyDeny");
        assertThat(error(r).detail()).contains("sample TEE");
        assertThat(keyEvents(path, EventCatalog.KEY_DENIED, 1).get(0).get("tee").asString()).isEqualTo("sample");
    }

    @Test
    void aWarningStatusIsDenied() {
        HttpResponse<String> r = get(AS.mint(claims("snp", "warning", 300)));
        assertThat(r.statusCode()).isEqualTo(403);
        assertThat(error(r).detail()).contains("ear.status is warning");
    }

    @Test
    void aRotatedAttestationKeyIsFetchedOnItsUnknownKid() {
        AS.rotateKey();
        HttpResponse<String> r = get(AS.mint(claims("snp", "affirming", 300)));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    }

    @Test
    void noTokenAtAllIs401() {
        HttpResponse<String> r = send("GET", "/kbs/v0/resource/" + path, null);
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(error(r).variant()).isEqualTo("TokenNotFound");
    }
}
