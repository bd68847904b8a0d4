package io.cocoplane.fuzz;

import static io.cocoplane.fuzz.Outcome.check;
import static io.cocoplane.fuzz.Outcome.refusedOr;
import static io.cocoplane.fuzz.Outcome.roundTrip;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.kbsprotocol.AttestResponse;
import io.cocoplane.kbsprotocol.Attestation;
import io.cocoplane.kbsprotocol.Challenge;
import io.cocoplane.kbsprotocol.EcTeePubKey;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.InvalidMessageException;
import io.cocoplane.kbsprotocol.InvalidTeePubKeyException;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.JweException;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import io.cocoplane.kbsprotocol.TeePubKey;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz targets for {@code libs/kbs-protocol}: every RCAR message the KBS or the guest receives (note §2), the
 * {@code tee-pubkey} JWK and the guest-side opening of the resource JWE. Documented refusals:
 * {@link InvalidMessageException}, {@link InvalidTeePubKeyException} (the attestation's key), {@link JweException}
 * (decryption). Accepted messages must survive encode and parse unchanged.
 */
class KbsProtocolFuzzTest {

    /** The guest key of the JWE target; the seeds' responses are encrypted to it. */
    static final TeeKeyPair TEE_KEY = TeeKeyPair.of(FixedKeys.p256(), EcTeePubKey.ALG);

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The same bytes through every RCAR handshake parser: Request, Challenge, Attestation, AttestResponse, error. */
    @FuzzTest
    void rcarMessage(byte[] data) {
        roundTrip(data, Request::parse, Request::toJsonBytes, InvalidMessageException.class);
        Challenge c = roundTrip(data, Challenge::parse, Challenge::toJsonBytes, InvalidMessageException.class);
        if (c != null) {
            refusedOr(c::selectedHashAlgorithm, InvalidMessageException.class);
            refusedOr(c::nonceBytes, InvalidMessageException.class);
        }
        Attestation a = roundTrip(data, Attestation::parse, Attestation::toJsonBytes, InvalidMessageException.class,
                InvalidTeePubKeyException.class);
        if (a != null) {
            for (HashAlgorithm h : HashAlgorithm.values()) {
                byte[] d = refusedOr(() -> RuntimeDataHash.primaryDigest(h, a.runtimeData(),
                        a.teeEvidence().additionalEvidence()), InvalidMessageException.class);
                check(d == null || d.length > 0, "empty runtime-data digest");
            }
        }
        AttestResponse t = roundTrip(data, AttestResponse::parse, AttestResponse::toJsonBytes,
                InvalidMessageException.class);
        if (t != null) {
            refusedOr(t::expiresAt, InvalidMessageException.class);
        }
        ErrorInformation e = roundTrip(data, ErrorInformation::parse, ErrorInformation::toJsonBytes,
                InvalidMessageException.class);
        check(e == null || e.variant() != null, "error information without a variant");
    }

    /** The resource Response JWE: parse, round trip, and decryption with the fixed guest key. */
    @FuzzTest
    void jweResponse(byte[] data) {
        Response r = roundTrip(data, Response::parse, Response::toJsonBytes, InvalidMessageException.class);
        if (r == null) {
            return;
        }
        byte[] plain = refusedOr(() -> TEE_KEY.decrypt(r, JweCodec.defaults()), JweException.class);
        check(plain == null || plain.length <= JweCodec.MAX_PLAINTEXT_BYTES, "oversized plaintext");
        refusedOr(() -> TEE_KEY.decrypt(r, JweCodec.allowingRsa15()), JweException.class);
    }

    /** A {@code tee-pubkey} JWK (any JSON value): parse, JSON round trip and conversion to a JCA key. */
    @FuzzTest
    void teePubKey(byte[] data) {
        JsonNode json;
        try {
            json = MAPPER.readTree(data);
        } catch (JacksonException notJson) {
            return; // the JSON layer is not under test here: RcarJson is (rcarMessage)
        }
        TeePubKey key = refusedOr(() -> TeePubKey.fromJson(json), InvalidTeePubKeyException.class);
        if (key == null) {
            return;
        }
        TeePubKey again = refusedOr(() -> TeePubKey.fromJson(key.toJson()), InvalidTeePubKeyException.class);
        check(key.equals(again), "tee-pubkey changed across toJson and fromJson: " + key + " became " + again);
        check(key.toPublicKey() != null, "no JCA key");
        if (key instanceof EcTeePubKey ec) {
            check(EcTeePubKey.of((java.security.interfaces.ECPublicKey) ec.toPublicKey()).equals(ec),
                    "EC key changed across the JCA conversion");
        }
    }
}
