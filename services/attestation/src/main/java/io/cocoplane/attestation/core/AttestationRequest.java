package io.cocoplane.attestation.core;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.initdata.InitDataException;
import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.InvalidMessageException;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.Tee;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The body of trustee's attestation-service REST {@code POST /attestation} ({@code kbs-attestation.md} §9):
 * <pre>
 * {"verification_requests":[{"tee":"snp","evidence":"&lt;base64url, no padding, of the evidence JSON&gt;",
 *    "runtime_data":{"structured":{…}} | {"raw":"&lt;base64url&gt;"},
 *    "init_data":{"init_data_toml":"…"} | {"init_data_digest":"&lt;base64url&gt;"},
 *    "runtime_data_hash_algorithm":"sha384"}],
 *  "policy_ids":[]}
 * </pre>
 * Differences from trustee, all on the strict side: exactly one verification request (no device verifiers exist in
 * {@code libs/tee-evidence}); {@code runtime_data} is required (trustee makes it optional, hazard §10.11: no freshness
 * without it); at most {@value #MAX_POLICY_IDS} policy id of {@code [A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}} without
 * {@code ..} (an EAR appraisal names one policy; never a dot-segment in an admin path). TEE names are the kbs-types
 * names ({@code snp}, {@code tdx}, {@code az-snp-vtpm}, {@code az-tdx-vtpm}, {@code sample}); the restful
 * spellings {@code azsnpvtpm} / {@code aztdxvtpm} are accepted too.
 *
 * @param tee             the TEE
 * @param evidence        the decoded primary evidence, at most {@link EvidenceVerifier#MAX_EVIDENCE_BYTES}
 * @param runtimeData     structured or raw runtime data
 * @param initData        init-data TOML or digest, or {@code null}
 * @param hashAlgorithm   hash of structured runtime data (default {@code sha384})
 * @param policyIds       requested policy ids ({@code ["default"]} when none were given)
 */
public record AttestationRequest(Tee tee, byte[] evidence, RuntimeDataInput runtimeData, InitDataInput initData,
                                 HashAlgorithm hashAlgorithm, List<String> policyIds) {

    /** Largest request body, in bytes: base64 of the largest evidence plus room for runtime and init data. */
    public static final int MAX_BODY_BYTES = 4 * 1024 * 1024;
    /** Most policy ids in one request. */
    public static final int MAX_POLICY_IDS = 1;
    /** Largest canonical structured runtime data, in bytes. */
    public static final int MAX_RUNTIME_DATA_BYTES = 64 * 1024;
    /** Policy id grammar (also used by the admin API). */
    public static final Pattern POLICY_ID = Pattern.compile("(?!.*\\.\\.)[A-Za-z0-9_-][A-Za-z0-9_.-]{0,63}");

    private static final JsonMapper JSON = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(64)
                            .maxDocumentLength(MAX_BODY_BYTES).maxStringLength(MAX_BODY_BYTES)
                            .maxNumberLength(1000).build())
                    .build())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Runtime data as sent: hashed when structured, compared as-is when raw. */
    public sealed interface RuntimeDataInput permits Structured, Raw {
    }

    /**
     * Structured runtime data: the expected report data is {@code H(JCS(value))} ({@code kbs-attestation.md} §4.1).
     *
     * @param value the JSON value
     */
    public record Structured(JsonNode value) implements RuntimeDataInput {
    }

    /**
     * Raw runtime data: the expected report data itself (1…64 bytes).
     *
     * @param bytes the decoded bytes
     */
    public record Raw(byte[] bytes) implements RuntimeDataInput {
    }

    /** Init-data as sent. */
    public sealed interface InitDataInput permits Toml, Digest {
    }

    /**
     * The init-data TOML document; its digest is computed over the exact bytes by {@code libs/initdata}.
     *
     * @param document the parsed document
     */
    public record Toml(InitDataDocument document) implements InitDataInput {
    }

    /**
     * A bare init-data digest (32, 48 or 64 bytes).
     *
     * @param digest the decoded digest
     */
    public record Digest(byte[] digest) implements InitDataInput {
    }

    /**
     * Parses a request body.
     *
     * @param body the JSON body
     * @return the request
     * @throws BadRequestException for anything malformed or over a limit
     */
    public static AttestationRequest parse(byte[] body) {
        if (body == null || body.length == 0) {
            throw new BadRequestException("empty request body");
        }
        if (body.length > MAX_BODY_BYTES) {
            throw new BadRequestException("request body exceeds " + MAX_BODY_BYTES + " bytes");
        }
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JacksonException e) {
            throw new BadRequestException("request body is not valid JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequestException("request body must be a JSON object");
        }
        JsonNode reqs = root.get("verification_requests");
        if (reqs == null || !reqs.isArray() || reqs.size() != 1 || !reqs.get(0).isObject()) {
            throw new BadRequestException("\"verification_requests\" must be an array of exactly one object "
                    + "(composite device evidence is not supported)");
        }
        List<String> policyIds = new ArrayList<>();
        JsonNode ids = root.get("policy_ids");
        if (ids != null && !ids.isNull()) {
            if (!ids.isArray() || ids.size() > MAX_POLICY_IDS) {
                throw new BadRequestException("\"policy_ids\" must be an array of at most " + MAX_POLICY_IDS);
            }
            for (JsonNode id : ids) {
                if (!id.isString() || !POLICY_ID.matcher(id.asString()).matches()) {
                    throw new BadRequestException("\"policy_ids\" entries must match " + POLICY_ID);
                }
                policyIds.add(id.asString());
            }
        }
        if (policyIds.isEmpty()) {
            policyIds.add("default");
        }
        JsonNode r = reqs.get(0);
        Tee tee = tee(string(r, "tee", 32));
        byte[] evidence = urlBase64(string(r, "evidence", MAX_BODY_BYTES), "evidence");
        if (evidence.length == 0 || evidence.length > EvidenceVerifier.MAX_EVIDENCE_BYTES) {
            throw new BadRequestException("evidence must be 1.." + EvidenceVerifier.MAX_EVIDENCE_BYTES + " bytes");
        }
        HashAlgorithm hash = HashAlgorithm.SHA384;
        JsonNode h = r.get("runtime_data_hash_algorithm");
        if (h != null && !h.isNull()) {
            if (!h.isString()) {
                throw new BadRequestException("\"runtime_data_hash_algorithm\" must be a string");
            }
            try {
                hash = HashAlgorithm.fromWireName(h.asString());
            } catch (InvalidMessageException e) {
                throw new BadRequestException("\"runtime_data_hash_algorithm\": " + e.getMessage());
            }
        }
        return new AttestationRequest(tee, evidence, runtimeData(r.get("runtime_data")),
                initData(r.get("init_data")), hash, List.copyOf(policyIds));
    }

    private static RuntimeDataInput runtimeData(JsonNode n) {
        if (n == null || n.isNull()) {
            throw new BadRequestException("\"runtime_data\" is required: without it the evidence is not bound to a "
                    + "nonce or key (kbs-attestation.md 10.11)");
        }
        one(n, "runtime_data", Set.of("structured", "raw"));
        if (n.has("structured")) {
            JsonNode v = n.get("structured");
            if (v.isNull() || v.isMissingNode()) {
                throw new BadRequestException("\"runtime_data.structured\" must not be null");
            }
            if (v.toString().getBytes(StandardCharsets.UTF_8).length > MAX_RUNTIME_DATA_BYTES) {
                throw new BadRequestException("\"runtime_data.structured\" exceeds " + MAX_RUNTIME_DATA_BYTES + " bytes");
            }
            return new Structured(v);
        }
        byte[] raw = urlBase64(string(n, "raw", 128), "runtime_data.raw");
        if (raw.length == 0 || raw.length > 64) {
            throw new BadRequestException("\"runtime_data.raw\" must decode to 1..64 bytes");
        }
        return new Raw(raw);
    }

    private static InitDataInput initData(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        one(n, "init_data", Set.of("init_data_toml", "init_data_digest"));
        if (n.has("init_data_toml")) {
            String toml = string(n, "init_data_toml", MAX_BODY_BYTES);
            try {
                return new Toml(InitDataDocument.parse(toml.getBytes(StandardCharsets.UTF_8)));
            } catch (InitDataException e) {
                throw new BadRequestException("\"init_data.init_data_toml\": " + e.getMessage(), e);
            }
        }
        byte[] d = urlBase64(string(n, "init_data_digest", 128), "init_data.init_data_digest");
        if (d.length != 32 && d.length != 48 && d.length != 64) {
            throw new BadRequestException("\"init_data.init_data_digest\" must decode to 32, 48 or 64 bytes");
        }
        return new Digest(d);
    }

    private static void one(JsonNode n, String what, Set<String> variants) {
        if (!n.isObject() || n.size() != 1 || !variants.contains(n.propertyNames().iterator().next())) {
            throw new BadRequestException("\"" + what + "\" must be an object with exactly one of " + variants);
        }
    }

    private static Tee tee(String name) {
        String n = switch (name) {
            case "azsnpvtpm" -> "az-snp-vtpm";
            case "aztdxvtpm" -> "az-tdx-vtpm";
            default -> name;
        };
        for (Tee t : Tee.values()) {
            if (t.wireName().equals(n)) {
                return t;
            }
        }
        throw new BadRequestException("tee " + quote(name) + " is not supported (snp, tdx, az-snp-vtpm, az-tdx-vtpm, "
                + "sample)");
    }

    private static String string(JsonNode obj, String member, int maxChars) {
        JsonNode v = obj.get(member);
        if (v == null || !v.isString()) {
            throw new BadRequestException("member \"" + member + "\" must be a string");
        }
        String s = v.asString();
        if (s.length() > maxChars) {
            throw new BadRequestException("member \"" + member + "\" is longer than " + maxChars + " characters");
        }
        return s;
    }

    private static byte[] urlBase64(String s, String what) {
        if (!isUrlBase64Alphabet(s) || s.length() % 4 == 1) {
            throw new BadRequestException("\"" + what + "\" is not unpadded base64url");
        }
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("\"" + what + "\" is not unpadded base64url");
        }
    }

    /** RFC 4648 §5 alphabet, no padding: a loop, not a regex (the evidence is several KiB on every request). */
    private static boolean isUrlBase64Alphabet(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }

    private static String quote(String s) {
        String t = s.length() > 32 ? s.substring(0, 32) + "…" : s;
        return "\"" + t.replaceAll("\\p{Cntrl}", "?") + "\"";
    }

    /** @return a map view for logs: TEE, evidence size, policy ids */
    public Map<String, Object> summary() {
        return Map.of("tee", tee.wireName(), "evidenceBytes", evidence.length, "policyIds", policyIds);
    }
}
