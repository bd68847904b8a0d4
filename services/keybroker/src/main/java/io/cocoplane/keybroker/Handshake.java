package io.cocoplane.keybroker;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;

import org.springframework.stereotype.Service;

import io.cocoplane.kbsprotocol.Attestation;
import io.cocoplane.kbsprotocol.Challenge;
import io.cocoplane.kbsprotocol.KbsProtocolException;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.Tee;
import io.cocoplane.keybroker.domain.AttestationServiceClient;
import io.cocoplane.keybroker.domain.EarToken;
import io.cocoplane.keybroker.domain.EarTokenVerifier;
import io.cocoplane.keybroker.domain.KbsException;
import io.cocoplane.keybroker.persistence.SessionRepository;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The RCAR handshake (note §1.1, §2): {@code /auth} opens a session with a fresh 32-byte nonce; {@code /attest}
 * consumes it — exactly once, whatever the outcome (hazard §10 #14) and whatever the replica — and always verifies the
 * submitted evidence (no stored-token shortcut, hazard #4). The runtime data sent to the attestation service is rebuilt
 * from the session's own nonce, and the returned token must carry that nonce and the submitted TEE key.
 */
@Service
public class Handshake {

    /**
     * Result of {@code /auth}.
     *
     * @param sessionId the cookie value
     * @param challenge the challenge
     * @param expiresAt session end
     */
    public record Auth(String sessionId, Challenge challenge, Instant expiresAt) {
    }

    /**
     * Result of {@code /attest}.
     *
     * @param token     the verified EAR token
     * @param expiresAt session end (for the cookie)
     */
    public record Attested(String token, Instant expiresAt) {
    }

    private final SessionRepository sessions;
    private final AttestationServiceClient attestation;
    private final EarTokenVerifier verifier;
    private final KeyBrokerProperties props;
    private final SecureRandom random;
    private final Clock clock;
    private final JsonMapper json = JsonMapper.builder().build();

    /** Spring constructor. */
    public Handshake(SessionRepository sessions, AttestationServiceClient attestation, EarTokenVerifier verifier,
                     KeyBrokerProperties props, SecureRandom random, Clock clock) {
        this.sessions = sessions;
        this.attestation = attestation;
        this.verifier = verifier;
        this.props = props;
        this.random = random;
        this.clock = clock;
    }

    /**
     * @param body the Request JSON
     * @return the new session and its challenge
     * @throws KbsException 400 on a malformed Request or another protocol version; 429 when too many sessions live
     */
    public Auth auth(byte[] body) {
        Request request;
        try {
            request = Request.parse(body);
        } catch (KbsProtocolException e) {
            throw KbsException.malformed(e.getMessage());
        }
        if (!request.isSupportedVersion()) {
            throw new KbsException(400, "AttestationError", "KBS Client Protocol Version Mismatch: expect ="
                    + Request.PROTOCOL_VERSION + " while the request is " + request.version());
        }
        Instant now = clock.instant();
        if (sessions.countLive(now) >= props.session().maxActive()) {
            throw KbsException.tooManySessions("too many open sessions; retry later");
        }
        byte[] id = new byte[16];
        random.nextBytes(id);
        String sessionId = HexFormat.of().formatHex(id);
        Challenge challenge = Challenge.generate(random);
        Instant expires = now.plus(props.session().timeout());
        sessions.create(sessionId, request.tee().wireName(), challenge.nonce(), now, expires);
        return new Auth(sessionId, challenge, expires);
    }

    /**
     * @param sessionId the cookie value, or null
     * @param body      the Attestation JSON
     * @return the verified token
     * @throws KbsException 401 for no/unknown/expired session, a used nonce, a nonce from elsewhere, refused evidence
     *                      or a token that does not bind the session; 400 for a malformed message or unsupported
     *                      init-data format / device evidence; 503 when the attestation service is unavailable
     */
    public Attested attest(String sessionId, byte[] body) {
        if (sessionId == null) {
            throw KbsException.attestation("no kbs-session-id cookie: call /kbs/v0/auth first");
        }
        Instant now = clock.instant();
        SessionRepository.Session session = sessions.consumeNonce(sessionId, now).orElseThrow(() ->
                KbsException.attestation("session unknown, expired, or its nonce was already used; start again with"
                        + " /kbs/v0/auth"));
        Attestation att;
        try {
            att = Attestation.parse(body);
        } catch (KbsProtocolException e) {
            throw KbsException.malformed(e.getMessage());
        }
        if (!session.nonce().equals(att.runtimeData().nonce())) {
            throw KbsException.attestation("runtime-data nonce is not this session's challenge");
        }
        if (att.initData() != null && !att.initData().isToml()) {
            throw KbsException.malformed("Unsupported initdata format: " + att.initData().format());
        }
        if (!att.teeEvidence().additionalEvidence().isEmpty()) {
            throw KbsException.malformed("additional (device) evidence is not supported by this key broker");
        }
        ObjectNode runtimeData = json.createObjectNode();
        runtimeData.put("additional-evidence", att.teeEvidence().additionalEvidence());
        runtimeData.put("nonce", session.nonce());
        runtimeData.set("tee-pubkey", att.runtimeData().teePubKey().toJson());
        Tee tee = Tee.fromWireName(session.tee());
        String token = attestation.attest(tee, att.teeEvidence().primaryEvidence(), runtimeData, att.initData());
        EarToken verified;
        try {
            verified = verifier.verify(token);
        } catch (KbsException e) {
            throw KbsException.attestation("attestation service returned a token that does not verify: "
                    + e.getMessage());
        }
        if (!verified.nonce().map(session.nonce()::equals).orElse(false)) {
            throw KbsException.attestation("token runtime data does not carry this session's nonce");
        }
        if (!att.runtimeData().teePubKey().equals(safeKey(verified))) {
            throw KbsException.attestation("token runtime data does not carry the submitted tee-pubkey");
        }
        sessions.markAttested(sessionId, token, clock.instant());
        return new Attested(token, session.expiresAt());
    }

    private static Object safeKey(EarToken t) {
        try {
            return t.teePubKey();
        } catch (KbsException e) {
            return null;
        }
    }
}
