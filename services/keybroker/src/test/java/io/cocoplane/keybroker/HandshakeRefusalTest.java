package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import io.cocoplane.kbsprotocol.Attestation;
import io.cocoplane.kbsprotocol.Challenge;
import io.cocoplane.kbsprotocol.CompositeEvidence;
import io.cocoplane.kbsprotocol.EvidenceRequest;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.RuntimeData;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.kbsprotocol.Tee;
import io.cocoplane.kbsprotocol.TeeKeyPair;

/** The handshake refusals of hazards §10 #4, #14 and #151/#162, each on its own, driven message by message. */
class HandshakeRefusalTest extends KeyBrokerTestBase {

    private final TeeKeyPair keys = TeeKeyPair.generateEc();
    private final InitData init = initData("handshake");

    /** A session: its cookie and challenge. */
    private record Session(String cookie, Challenge challenge, String setCookie) {
    }

    private Session auth() {
        HttpResponse<String> r = send("POST", "/kbs/v0/auth", Request.forTee(Tee.SNP).toJsonBytes(),
                "Content-Type", "application/json");
        assertThat(r.statusCode()).isEqualTo(200);
        String setCookie = r.headers().firstValue("Set-Cookie").orElseThrow();
        String cookie = setCookie.substring(0, setCookie.indexOf(';'));
        return new Session(cookie, Challenge.parse(r.body().getBytes(StandardCharsets.UTF_8)), setCookie);
    }

    /** A correct Attestation for {@code nonce}, optionally with corrupted report data. */
    private byte[] attestation(String nonce, boolean corrupt) {
        RuntimeData rd = new RuntimeData(nonce, keys.teePubKey());
        String canonical = RuntimeDataHash.primaryCanonical(nonce, keys.teePubKey(), "");
        TestEvidenceProvider p = new TestEvidenceProvider(Tee.SNP, digest(init));
        p.corruptReportData = corrupt;
        var evidence = p.primaryEvidence(new EvidenceRequest(nonce, HashAlgorithm.SHA384,
                RuntimeDataHash.digest(HashAlgorithm.SHA384, canonical), canonical));
        return new Attestation(init, rd, new CompositeEvidence(evidence, "")).toJsonBytes();
    }

    private HttpResponse<String> attest(Session s, byte[] body) {
        return send("POST", "/kbs/v0/attest", body, "Cookie", s.cookie(), "Content-Type", "application/json");
    }

    @Test
    void aCorrectAttestSucceedsAndTheCookieIsLockedDown() {
        Session s = auth();
        assertThat(s.challenge().nonceBytes()).hasSize(32);
        assertThat(s.setCookie()).matches("kbs-session-id=[0-9a-f]{32};.*").contains("HttpOnly")
                .contains("SameSite=Strict").contains("Path=/kbs/v0").doesNotContain("Secure"); // plain loopback HTTP
        HttpResponse<String> r = attest(s, attestation(s.challenge().nonce(), false));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(r.body()).startsWith("{\"token\":\"ey");
    }

    @Test
    void aNonceFromAnotherSessionIsRefused() {
        Session a = auth();
        Session b = auth();
        HttpResponse<String> r = attest(b, attestation(a.challenge().nonce(), false));
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(variant(r)).isEqualTo("AttestationError");
        assertThat(r.body()).contains("not this session's challenge");
    }

    @Test
    void aReplayedAttestIsRefusedEvenOnTheAttestedSession() {
        Session s = auth();
        byte[] body = attestation(s.challenge().nonce(), false);
        assertThat(attest(s, body).statusCode()).isEqualTo(200);
        int before = AS.attestations.get();
        HttpResponse<String> again = attest(s, body);
        assertThat(again.statusCode()).isEqualTo(401);
        assertThat(again.body()).contains("nonce was already used").doesNotContain("token");
        // the same evidence replayed onto a fresh session does not bind its new nonce either
        Session fresh = auth();
        HttpResponse<String> onFresh = attest(fresh, body);
        assertThat(onFresh.statusCode()).isEqualTo(401);
        assertThat(onFresh.body()).contains("not this session's challenge");
        assertThat(AS.attestations.get()).isEqualTo(before);
    }

    @Test
    void aNonceIsBurnedByAFailedAttest() {
        Session s = auth();
        HttpResponse<String> failed = attest(s, attestation(s.challenge().nonce(), true));
        assertThat(failed.statusCode()).isEqualTo(401);
        assertThat(failed.body()).contains("refused the evidence");
        HttpResponse<String> retry = attest(s, attestation(s.challenge().nonce(), false));
        assertThat(retry.statusCode()).isEqualTo(401);
        assertThat(retry.body()).contains("nonce was already used");
    }

    @Test
    void malformedMessagesAreBadRequestsAndOversizedBodies413() {
        HttpResponse<String> version = send("POST", "/kbs/v0/auth",
                "{\"version\":\"0.2.0\",\"tee\":\"snp\",\"extra-params\":{}}".getBytes(StandardCharsets.UTF_8));
        assertThat(version.statusCode()).isEqualTo(400);
        assertThat(version.body()).contains("Protocol Version Mismatch");
        assertThat(send("POST", "/kbs/v0/auth", "{not json".getBytes(StandardCharsets.UTF_8)).statusCode())
                .isEqualTo(400);
        Session s = auth();
        HttpResponse<String> bad = attest(s, "{\"runtime-data\":1}".getBytes(StandardCharsets.UTF_8));
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(variant(bad)).isEqualTo("SerdeError");
        HttpResponse<String> big = send("POST", "/kbs/v0/auth", new byte[2 * 1024 * 1024 + 1]);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(variant(big)).isEqualTo("PayloadTooLarge");
        assertThat(List.of(send("POST", "/kbs/v0/attest", new byte[0]).statusCode())).containsExactly(401);
    }
}
