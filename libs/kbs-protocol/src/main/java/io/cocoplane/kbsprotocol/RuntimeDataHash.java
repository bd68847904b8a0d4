package io.cocoplane.kbsprotocol;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import org.erdtman.jcs.JsonCanonicalizer;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Runtime-data binding of note §4.1: the RFC 8785 (JCS) canonical JSON of the runtime-data object and its digest,
 * which the guest puts into the hardware evidence's report-data field and the KBS recomputes from its own session
 * nonce and the parsed {@code tee-pubkey}.
 *
 * <ul>
 *   <li>primary evidence: {@code H(JCS({"additional-evidence": A, "nonce": N, "tee-pubkey": K}))}, A = the exact
 *       {@code additional_evidence} string ({@code ""} when there is none);</li>
 *   <li>device (additional) evidence: {@code H(JCS({"nonce": N, "tee-pubkey": K}))};</li>
 *   <li>{@code H} = SHA-384 except IBM SE (SHA-512), or as selected by the challenge ({@link Challenge#selectedHashAlgorithm()}).</li>
 * </ul>
 * Canonicalization is done by {@code io.github.erdtman:java-json-canonicalization}; {@code K} is always re-serialized
 * from the typed {@link TeePubKey} so unknown JWK members never enter the hash.
 */
public final class RuntimeDataHash {

    private RuntimeDataHash() {
    }

    /**
     * RFC 8785 canonical form of any JSON value.
     *
     * @param value a JSON value (objects' members are sorted by UTF-16 code units, no whitespace, ES6 number form)
     * @return the canonical JSON text
     * @throws InvalidMessageException when the value cannot be canonicalized (e.g. a number outside IEEE-754 double range)
     */
    public static String canonicalize(JsonNode value) {
        if (value == null) {
            throw new InvalidMessageException("runtime data: nothing to canonicalize");
        }
        try {
            return new JsonCanonicalizer(RcarJson.writeString(value)).getEncodedString();
        } catch (IOException | RuntimeException e) {
            throw new InvalidMessageException("runtime data: cannot canonicalize: " + e.getMessage(), e);
        }
    }

    /**
     * The canonical primary runtime-data string (note §4.1 step 2).
     *
     * @param nonce              the challenge nonce, verbatim
     * @param teePubKey          the TEE key
     * @param additionalEvidence the {@code additional_evidence} string exactly as sent ({@code ""} when none)
     * @return {@code JCS({"additional-evidence":A,"nonce":N,"tee-pubkey":K})}
     * @throws InvalidMessageException when an argument is null
     */
    public static String primaryCanonical(String nonce, TeePubKey teePubKey, String additionalEvidence) {
        if (nonce == null || teePubKey == null || additionalEvidence == null) {
            throw new InvalidMessageException("runtime data: nonce, tee-pubkey and additional-evidence are required");
        }
        ObjectNode o = RcarJson.newObject();
        o.put("additional-evidence", additionalEvidence);
        o.put("nonce", nonce);
        o.set("tee-pubkey", teePubKey.toJson());
        return canonicalize(o);
    }

    /**
     * The canonical device runtime-data string (note §4.1 step 1).
     *
     * @param nonce     the challenge nonce, verbatim
     * @param teePubKey the TEE key
     * @return {@code JCS({"nonce":N,"tee-pubkey":K})}
     * @throws InvalidMessageException when an argument is null
     */
    public static String deviceCanonical(String nonce, TeePubKey teePubKey) {
        if (nonce == null || teePubKey == null) {
            throw new InvalidMessageException("runtime data: nonce and tee-pubkey are required");
        }
        ObjectNode o = RcarJson.newObject();
        o.put("nonce", nonce);
        o.set("tee-pubkey", teePubKey.toJson());
        return canonicalize(o);
    }

    /**
     * Digest of a canonical string's UTF-8 bytes.
     *
     * @param algorithm the hash
     * @param canonical the canonical JSON text
     * @return the digest ({@link HashAlgorithm#digestLength()} bytes)
     */
    public static byte[] digest(HashAlgorithm algorithm, String canonical) {
        return algorithm.digest(canonical.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * The primary runtime-data digest the guest binds into its evidence.
     *
     * @param algorithm the hash (SHA-384 unless the challenge selected another)
     * @param data      nonce and key
     * @param additionalEvidence the {@code additional_evidence} string exactly as sent
     * @return {@code H(primaryCanonical(...))}
     */
    public static byte[] primaryDigest(HashAlgorithm algorithm, RuntimeData data, String additionalEvidence) {
        return digest(algorithm, primaryCanonical(data.nonce(), data.teePubKey(), additionalEvidence));
    }

    /**
     * Fits a digest into a report-data field as trustee's {@code regularize_data} does (note §4.1 step 5): pads with
     * zero bytes at the end or truncates to {@code fieldSize} (e.g. SNP REPORT_DATA and TDX REPORTDATA: 64).
     *
     * @param digest    the digest
     * @param fieldSize the field size in bytes, 1..4096
     * @return a new array of exactly {@code fieldSize} bytes
     * @throws InvalidMessageException when {@code fieldSize} is outside 1..4096 or the digest is null
     */
    public static byte[] regularize(byte[] digest, int fieldSize) {
        if (digest == null || fieldSize < 1 || fieldSize > 4096) {
            throw new InvalidMessageException("report data: field size must be 1..4096");
        }
        return Arrays.copyOf(digest, fieldSize);
    }
}
