package io.cocoplane.fuzz;

import static io.cocoplane.fuzz.Outcome.check;
import static io.cocoplane.fuzz.Outcome.refusedOr;
import static io.cocoplane.fuzz.Outcome.roundTrip;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.ocicrypt.CocoKeyWrapper;
import io.cocoplane.ocicrypt.CocoRecipient;
import io.cocoplane.ocicrypt.DecryptionKeys;
import io.cocoplane.ocicrypt.EncryptingLayerStream;
import io.cocoplane.ocicrypt.KeyProviderPacket;
import io.cocoplane.ocicrypt.KeyResolver;
import io.cocoplane.ocicrypt.LayerCipher;
import io.cocoplane.ocicrypt.LayerEncryptionInfo;
import io.cocoplane.ocicrypt.LayerEncryptionResult;
import io.cocoplane.ocicrypt.LayerIntegrityException;
import io.cocoplane.ocicrypt.ManifestEncryptionSummary;
import io.cocoplane.ocicrypt.ManifestInspector;
import io.cocoplane.ocicrypt.OcicryptException;
import io.cocoplane.ocicrypt.OcicryptLayers;
import io.cocoplane.ocicrypt.PrivateOptions;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Fuzz targets for {@code libs/ocicrypt}: what a registry client pushes (the manifest, its layer annotations) and the
 * CoCo key-provider packet inside them. Documented refusals: {@link OcicryptException} (malformed annotation, no key
 * unwraps) and, while reading a decrypting stream, {@link LayerIntegrityException}.
 *
 * <p>The registry's own manifest and index parser ({@code services/registry} {@code oci.ManifestParser}) is not
 * fuzzed here: this module depends on libraries only.
 */
class OcicryptFuzzTest {

    /** Plaintext of the fixed layer whose annotations the seeds carry. */
    static final byte[] LAYER_PLAINTEXT = "cocoplane fuzz layer\n".repeat(8).getBytes(StandardCharsets.US_ASCII);
    /** The fixed layer, encrypted with a fixed symmetric key and nonce (deterministic). */
    static final EncryptedLayer LAYER = EncryptedLayer.of(LAYER_PLAINTEXT);
    /** Resolves {@link FixedKeys#KID} to {@link FixedKeys#KEK}, nothing else. */
    static final KeyResolver RESOLVER = kid -> FixedKeys.KID.equals(kid) ? Optional.of(FixedKeys.KEK) : Optional.empty();
    /** The consumer keys: the fixed EC key for JWE and the resolver for CoCo packets. */
    static final DecryptionKeys KEYS = new DecryptionKeys(List.of(FixedKeys.p256().getPrivate()), RESOLVER);

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** The ciphertext and options of one encrypted layer. */
    record EncryptedLayer(byte[] ciphertext, LayerEncryptionResult result) {
        static EncryptedLayer of(byte[] plaintext) {
            try {
                EncryptingLayerStream s = LayerCipher.encrypt(new ByteArrayInputStream(plaintext),
                        CorpusSeeds.filled(PrivateOptions.SYMKEY_BYTES, 0x5a),
                        CorpusSeeds.filled(PrivateOptions.NONCE_BYTES, 0x4e));
                byte[] ct = s.readAllBytes();
                return new EncryptedLayer(ct, s.result());
            } catch (IOException | OcicryptException e) {
                throw new IllegalStateException("fixed layer does not encrypt", e);
            }
        }
    }

    /** Image manifest inspection (the registry's admission check, the key broker's key inventory). */
    @FuzzTest
    void manifest(byte[] data) {
        ManifestEncryptionSummary s = refusedOr(() -> ManifestInspector.inspect(data), OcicryptException.class);
        if (s == null) {
            return;
        }
        check(s.layers().size() <= ManifestInspector.MAX_LAYERS, "more than MAX_LAYERS layers");
        for (int i = 0; i < s.layers().size(); i++) {
            LayerEncryptionInfo l = s.layers().get(i);
            check(l.index() == i, "layer " + i + " reports index " + l.index());
            check(l.size() >= 0, "negative layer size");
        }
        check(s.keyIds().containsAll(s.kbsKeyIds()), "a KBS key id that is not a key id");
        check(!s.allEncrypted() || s.layers().isEmpty() || s.anyEncrypted(), "all encrypted but none encrypted");
    }

    /** The CoCo key-provider packet JSON: round trip (JSON and annotation forms) and unwrapping with the fixed KEK. */
    @FuzzTest
    void keyProviderPacket(byte[] data) {
        KeyProviderPacket p = roundTrip(data, KeyProviderPacket::parse, KeyProviderPacket::toJson,
                OcicryptException.class);
        if (p == null) {
            return;
        }
        KeyProviderPacket fromAnnotation = refusedOr(() -> KeyProviderPacket.parseAnnotation(p.toAnnotationValue()),
                OcicryptException.class);
        check(p.equals(fromAnnotation), "annotation form does not round-trip");
        byte[] options = refusedOr(() -> CocoKeyWrapper.unwrap(p, RESOLVER), OcicryptException.class);
        if (options != null) {
            refusedOr(() -> PrivateOptions.parse(options), OcicryptException.class);
        }
    }

    /**
     * A layer's annotations (a JSON object of strings) on the fixed encrypted layer: unwrap the private options with
     * the fixed keys, decrypt and read the whole layer, then re-wrap for a new CoCo recipient.
     */
    @FuzzTest
    void layerAnnotations(byte[] data) {
        Map<String, String> annotations = stringMap(data);
        if (annotations == null) {
            return;
        }
        InputStream plain = refusedOr(() -> OcicryptLayers.decrypt(new ByteArrayInputStream(LAYER.ciphertext()),
                annotations, LAYER.ciphertext().length, KEYS), OcicryptException.class);
        if (plain != null) {
            byte[] out = refusedOr(plain::readAllBytes, LayerIntegrityException.class);
            check(out == null || out.length == LAYER.ciphertext().length, "CTR plaintext length differs");
        }
        Map<String, String> rewrapped = refusedOr(() -> OcicryptLayers.rewrap(annotations, KEYS, List.of(),
                new CocoRecipient(FixedKeys.KID, FixedKeys.KEK)), OcicryptException.class);
        if (rewrapped != null) {
            check(rewrapped.get(OcicryptLayers.PUBOPTS).equals(annotations.get(OcicryptLayers.PUBOPTS)),
                    "re-wrapping changed the public options");
            check(refusedOr(() -> OcicryptLayers.unwrapPrivateOptions(rewrapped, KEYS),
                    OcicryptException.class) != null, "a re-wrapped layer does not unwrap with the new recipient");
        }
        OcicryptLayers.decryptedAnnotations(annotations)
                .keySet().forEach(k -> check(!k.startsWith(OcicryptLayers.ENC_PREFIX), "enc annotation kept"));
    }

    /** @return the input as a map when it is a JSON object of strings (the shape of descriptor annotations), else null */
    static Map<String, String> stringMap(byte[] data) {
        JsonNode root;
        try {
            root = MAPPER.readTree(data);
        } catch (JacksonException notJson) {
            return null;
        }
        if (root == null || !root.isObject()) {
            return null;
        }
        Map<String, String> m = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : root.properties()) {
            if (!e.getValue().isString()) {
                return null;
            }
            m.put(e.getKey(), e.getValue().stringValue());
        }
        return m;
    }
}
