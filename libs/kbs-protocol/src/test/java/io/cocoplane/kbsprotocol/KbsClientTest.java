package io.cocoplane.kbsprotocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.threeten.extra.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** The Java KBS client against {@link FakeKbs} on 127.0.0.1: handshake, cookie, re-attestation, error bodies, timeouts. */
class KbsClientTest {

    private static final byte[] SECRET = "my secret key material".getBytes(StandardCharsets.UTF_8);
    private static final ResourcePath PATH = ResourcePath.parse("default/key/1");

    /** A clock the test moves by hand. */
    private MutableClock clock;
    private FakeKbs kbs;

    @BeforeEach
    void start() throws Exception {
        clock = MutableClock.of(Instant.parse("2026-01-01T00:00:00Z"), ZoneOffset.UTC);
        kbs = new FakeKbs(clock);
        kbs.resources.put("default/key/1", SECRET);
    }

    @AfterEach
    void stop() {
        kbs.close();
    }

    private KbsClient.Builder client() {
        return KbsClient.builder(kbs.uri(), new SampleEvidenceProvider("1")).clock(clock)
                .timeout(Duration.ofSeconds(20));
    }

    @Test
    void happyPathAttestsOnceAndReusesTheSession() {
        KbsClient c = client().build();
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        assertThat(kbs.auths.get()).isEqualTo(1);
        assertThat(kbs.attests.get()).isEqualTo(1);
        assertThat(kbs.resourceGets.get()).isEqualTo(2);
        assertThat(c.handshakeCount()).isEqualTo(1);
        assertThat(kbs.lastCookieOnAttest).matches("kbs-session-id=[0-9a-f]{32}");
        assertThat(c.token()).isPresent();
    }

    @Test
    void rsaAndP521KeysWorkEndToEnd() {
        KbsClient rsa = client().keyPair(TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256)).build();
        assertThat(rsa.getResource(PATH)).isEqualTo(SECRET);
        KbsClient p521 = client().keyPair(TeeKeyPair.generateEc("P-521")).build();
        assertThat(p521.getResource(PATH)).isEqualTo(SECRET);
    }

    @Test
    void http401OnResourceTriggersReattestation() {
        KbsClient c = client().build();
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        kbs.dropSessions(); // server forgot the session: next GET is 401 TokenNotFound
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        assertThat(kbs.auths.get()).isEqualTo(2);
        assertThat(kbs.resourceGets.get()).isEqualTo(3); // ok, 401, ok
        assertThat(c.handshakeCount()).isEqualTo(2);
    }

    @Test
    void serverSideTokenExpiryWithinTheSessionGives401ThenReattest() {
        // note §1.3 / trustee #560: session outlives token; the client clock lags so it does not notice itself
        KbsClient c = client().clock(Clock.fixed(clock.instant(), ZoneOffset.UTC)).build();
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        clock.add(Duration.ofMinutes(6));
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        assertThat(kbs.resourceGets.get()).isEqualTo(3);
        assertThat(kbs.auths.get()).isEqualTo(2);
    }

    @Test
    void expiredTokenOnTheClientClockReattestsBeforeTheGet() {
        KbsClient c = client().build();
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        clock.add(Duration.ofMinutes(5)); // exactly exp: no longer valid
        assertThat(c.getResource(PATH)).isEqualTo(SECRET);
        assertThat(kbs.auths.get()).isEqualTo(2);
        assertThat(kbs.resourceGets.get()).isEqualTo(2); // no 401 round trip
    }

    @Test
    void persistent401SurfacesTheErrorBodyAfterThreeAttempts() {
        kbs.denyByPolicy = true;
        KbsClient c = client().build();
        assertThatThrownBy(() -> c.getResource(PATH)).isInstanceOfSatisfying(KbsErrorResponseException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(401);
            assertThat(e.endpoint()).isEqualTo("/kbs/v0/resource/default/key/1");
            assertThat(e.error()).get().extracting(ErrorInformation::variant).isEqualTo("PolicyDeny");
            assertThat(e.error().get().type())
                    .isEqualTo("https://github.com/confidential-containers/kbs/errors/PolicyDeny");
            assertThat(e.error().get().detail()).isEqualTo("Access denied by policy");
            assertThat(e.getMessage()).contains("PolicyDeny").contains("Access denied by policy");
        });
        assertThat(kbs.resourceGets.get()).isEqualTo(3);
        assertThat(kbs.auths.get()).isEqualTo(3);
    }

    @Test
    void missingResourceIs401PluginInternalErrorLikeTrustee() {
        KbsClient c = client().maxResourceAttempts(1).build();
        assertThatThrownBy(() -> c.getResource(ResourcePath.parse("default/key/absent")))
                .isInstanceOfSatisfying(KbsErrorResponseException.class, e ->
                        assertThat(e.error().get().variant()).isEqualTo("PluginInternalError"));
        assertThat(kbs.resourceGets.get()).isEqualTo(1);
    }

    @Test
    void http404FailsWithoutRetry() {
        kbs.notFoundPaths.add("default/key/1");
        KbsClient c = client().build();
        assertThatThrownBy(() -> c.getResource(PATH)).isInstanceOfSatisfying(KbsErrorResponseException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(404);
            assertThat(e.error().get().variant()).isEqualTo("InvalidRequestPath");
        });
        assertThat(kbs.resourceGets.get()).isEqualTo(1);
        assertThat(kbs.auths.get()).isEqualTo(1);
    }

    @Test
    void badEvidenceBindingIsRefusedByTheKbsAndSurfaced() {
        EvidenceProvider wrong = new EvidenceProvider() {
            @Override
            public Tee tee() {
                return Tee.SAMPLE;
            }

            @Override
            public JsonNode primaryEvidence(EvidenceRequest request) {
                byte[] d = request.runtimeDataDigest();
                d[0] ^= 1;
                return JsonNodeFactory.instance.objectNode().put("svn", "1")
                        .put("report_data", java.util.Base64.getEncoder().encodeToString(d));
            }
        };
        KbsClient c = KbsClient.builder(kbs.uri(), wrong).build();
        assertThatThrownBy(c::attest).isInstanceOfSatisfying(KbsErrorResponseException.class, e -> {
            assertThat(e.endpoint()).isEqualTo("/kbs/v0/attest");
            assertThat(e.error().get().detail()).isEqualTo("Attestation error: RCAR handshake Attest failed");
        });
    }

    @Test
    void evidenceProviderFailureIsWrapped() {
        EvidenceProvider failing = new EvidenceProvider() {
            @Override
            public Tee tee() {
                return Tee.TDX;
            }

            @Override
            public JsonNode primaryEvidence(EvidenceRequest request) {
                throw new IllegalStateException("no /dev/tdx_guest");
            }
        };
        assertThatThrownBy(() -> KbsClient.builder(kbs.uri(), failing).build().attest())
                .isInstanceOf(KbsClientException.class).hasMessageContaining("no /dev/tdx_guest");
    }

    @Test
    void evidenceRequestCarriesTheCanonicalRuntimeDataOfTheChallenge() {
        EvidenceRequest[] seen = new EvidenceRequest[1];
        SampleEvidenceProvider sample = new SampleEvidenceProvider("1");
        EvidenceProvider spy = new EvidenceProvider() {
            @Override
            public Tee tee() {
                return Tee.SAMPLE;
            }

            @Override
            public JsonNode primaryEvidence(EvidenceRequest request) {
                seen[0] = request;
                return sample.primaryEvidence(request);
            }
        };
        KbsClient c = KbsClient.builder(kbs.uri(), spy).build();
        c.attest();
        FakeKbs.Session s = kbs.sessions.values().iterator().next();
        assertThat(seen[0].nonce()).isEqualTo(s.challenge.nonce());
        assertThat(seen[0].hashAlgorithm()).isEqualTo(HashAlgorithm.SHA384);
        assertThat(seen[0].canonicalRuntimeData()).isEqualTo("{\"additional-evidence\":\"\",\"nonce\":\""
                + s.challenge.nonce() + "\",\"tee-pubkey\":" + RuntimeDataHash.canonicalize(c.keyPair().teePubKey().toJson())
                + "}");
    }

    @Test
    void missingSessionCookieIsAClientError() {
        kbs.setCookie = false;
        assertThatThrownBy(() -> client().build().attest()).isInstanceOf(KbsClientException.class)
                .hasMessageContaining("kbs-session-id");
    }

    @Test
    void requestTimeoutIsAClientErrorWithTheTimeoutCause() {
        kbs.hangOnAuth = true;
        KbsClient c = client().timeout(Duration.ofMillis(300)).build();
        assertThatThrownBy(c::attest).isInstanceOf(KbsClientException.class)
                .hasCauseInstanceOf(HttpTimeoutException.class);
    }

    @Test
    void nonKbsErrorBodyIsSurfacedRaw() {
        kbs.plainErrorOnAuth = "upstream proxy says no";
        assertThatThrownBy(() -> client().build().attest()).isInstanceOfSatisfying(KbsErrorResponseException.class,
                e -> {
                    assertThat(e.statusCode()).isEqualTo(502);
                    assertThat(e.error()).isEmpty();
                    assertThat(e.getMessage()).contains("upstream proxy says no");
                });
    }

    @Test
    void unreachableKbsIsAClientError() {
        KbsClient c = client().build();
        kbs.close();
        assertThatThrownBy(c::attest).isInstanceOf(KbsClientException.class).hasMessageContaining("/kbs/v0/auth");
    }

    @Test
    void initDataIsSentInTheAttestation() {
        InitData init = new InitData("toml", "version = \"0.1.0\"\nalgorithm = \"sha384\"\n[data]\n");
        client().initData(init).build().attest();
        assertThat(kbs.lastAttestation.initData()).isEqualTo(init);
        client().build().attest();
        assertThat(kbs.lastAttestation.initData()).isNull();
    }

    private static java.net.http.HttpHeaders headers(String... setCookies) {
        return java.net.http.HttpHeaders.of(java.util.Map.of("Set-Cookie", java.util.List.of(setCookies)),
                (a, b) -> true);
    }

    @Test
    void sessionCookieExtraction() {
        assertThat(KbsClient.sessionCookie(headers("kbs-session-id=0123abcd; Expires=Thu, 01 Jan 2099 00:00:00 GMT")))
                .contains("0123abcd");
        assertThat(KbsClient.sessionCookie(headers("other=1", " kbs-session-id = v2 "))).contains("v2");
        assertThat(KbsClient.sessionCookie(headers("kbs-session-id-x=1"))).isEmpty();
        assertThat(KbsClient.sessionCookie(headers("kbs-session-id="))).isEmpty();
        assertThat(KbsClient.sessionCookie(headers("kbs-session-id=a b"))).isEmpty();
        assertThat(KbsClient.sessionCookie(headers("kbs-session-id=" + "a".repeat(257)))).isEmpty();
        assertThat(KbsClient.sessionCookie(headers())).isEmpty();
    }

    @Test
    void builderRefusesBadArguments() {
        SampleEvidenceProvider p = new SampleEvidenceProvider("1");
        assertThatThrownBy(() -> KbsClient.builder(URI.create("ftp://x"), p)).isInstanceOf(KbsClientException.class);
        assertThatThrownBy(() -> KbsClient.builder(URI.create("http://x/kbs"), p)).isInstanceOf(KbsClientException.class);
        assertThatThrownBy(() -> KbsClient.builder(URI.create("http://x"), null)).isInstanceOf(KbsClientException.class);
        assertThatThrownBy(() -> client().timeout(Duration.ZERO)).isInstanceOf(KbsClientException.class);
        assertThatThrownBy(() -> client().maxResourceAttempts(0)).isInstanceOf(KbsClientException.class);
    }
}
