package io.cocoplane.ocicrypt;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Lists the encryption state of each layer of an OCI image manifest (image-spec {@code manifest.md}) or Docker v2
 * schema 2 manifest, without any key: encrypted flag, key-wrap schemes present, JWE recipient algorithms and CoCo
 * key ids (registry note §3.2, §4.1, §7.5). Used by the registry for admission checks and by the key broker to learn
 * which KBS resources an image needs.
 *
 * <p>Limits: manifest at most {@link #MAX_MANIFEST_BYTES}, at most {@link #MAX_LAYERS} layers, at most
 * {@link OcicryptLayers#MAX_ANNOTATIONS} annotations per layer, JSON nesting at most 32.
 */
public final class ManifestInspector {

    /** Largest manifest accepted, in bytes (the distribution spec asks registries to accept at least 4 MB). */
    public static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    /** Most layers accepted. */
    public static final int MAX_LAYERS = 1024;

    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]{1,256}");
    private static final Pattern SHA256 = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final Pattern SHA512 = Pattern.compile("sha512:[a-f0-9]{128}");
    private static final String WHAT = "manifest";

    private ManifestInspector() {
    }

    /**
     * Inspects a manifest.
     *
     * @param manifestJson the manifest bytes exactly as stored
     * @return one {@link LayerEncryptionInfo} per layer
     * @throws MalformedAnnotationException when the input is null, larger than {@link #MAX_MANIFEST_BYTES}, not JSON,
     *         an image index / manifest list, of schemaVersion other than 2, lacks {@code layers}, has more than
     *         {@link #MAX_LAYERS} layers, a layer lacks a string {@code mediaType}, a valid {@code digest} (image-spec descriptor grammar; sha256 and
     *         sha512 checked for length and lowercase hex) or a
     *         non-negative integer {@code size}, annotations are not string-to-string, or a
     *         {@value KeyProviderPacket#ANNOTATION} or {@value JweKeyWrapper#ANNOTATION} annotation is malformed
     */
    public static ManifestEncryptionSummary inspect(byte[] manifestJson) throws MalformedAnnotationException {
        if (manifestJson == null || manifestJson.length > MAX_MANIFEST_BYTES) {
            throw new MalformedAnnotationException(WHAT + " missing or larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        ObjectNode root = Json.parseObject(manifestJson, WHAT);
        String mediaType = Json.optText(root, "mediaType", WHAT);
        if (mediaType != null && !mediaType.equals(OciMediaTypes.OCI_MANIFEST)
                && !mediaType.equals(OciMediaTypes.DOCKER_MANIFEST)) {
            throw new MalformedAnnotationException(WHAT + ": mediaType " + mediaType
                    + " is not an image manifest (indexes and manifest lists have no layers)");
        }
        JsonNode schema = root.get("schemaVersion");
        if (schema == null || !schema.isIntegralNumber() || !schema.canConvertToInt() || schema.intValue() != 2) {
            throw new MalformedAnnotationException(WHAT + ": schemaVersion must be 2");
        }
        if (root.has("manifests")) {
            throw new MalformedAnnotationException(WHAT + ": has 'manifests', this is an image index");
        }
        JsonNode layers = root.get("layers");
        if (layers == null || !layers.isArray()) {
            throw new MalformedAnnotationException(WHAT + ": 'layers' is missing or not an array");
        }
        if (layers.size() > MAX_LAYERS) {
            throw new MalformedAnnotationException(WHAT + ": more than " + MAX_LAYERS + " layers");
        }
        List<LayerEncryptionInfo> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            out.add(layer(i, layers.get(i)));
        }
        return new ManifestEncryptionSummary(out);
    }

    private static LayerEncryptionInfo layer(int i, JsonNode node) throws MalformedAnnotationException {
        String what = WHAT + " layers[" + i + "]";
        if (!(node instanceof ObjectNode o)) {
            throw new MalformedAnnotationException(what + " is not an object");
        }
        String mediaType = Json.text(o, "mediaType", what);
        String digest = Json.text(o, "digest", what);
        if (!DIGEST.matcher(digest).matches()
                || digest.startsWith("sha256:") && !SHA256.matcher(digest).matches()
                || digest.startsWith("sha512:") && !SHA512.matcher(digest).matches()) {
            throw new MalformedAnnotationException(what + ": digest is not a valid algorithm:encoded digest");
        }
        JsonNode sizeNode = o.get("size");
        if (sizeNode == null || !sizeNode.isIntegralNumber() || !sizeNode.canConvertToLong() || sizeNode.longValue() < 0) {
            throw new MalformedAnnotationException(what + ": size must be a non-negative integer");
        }
        Map<String, String> annotations = annotations(o.get("annotations"), what);
        List<String> kinds = new ArrayList<>();
        List<String> algorithms = new ArrayList<>();
        List<String> keyIds = new ArrayList<>();
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            String name = e.getKey();
            if (!name.startsWith(OcicryptLayers.KEYS_PREFIX)) {
                continue;
            }
            String scheme = name.substring(OcicryptLayers.KEYS_PREFIX.length());
            if (name.startsWith(KeyProviderPacket.PROVIDER_ANNOTATION_PREFIX)) {
                String provider = name.substring(KeyProviderPacket.PROVIDER_ANNOTATION_PREFIX.length());
                kinds.add("provider:" + provider);
                if (name.equals(KeyProviderPacket.ANNOTATION)) {
                    keyIds.add(KeyProviderPacket.parseAnnotation(e.getValue()).kid());
                } else {
                    // Other providers' annotations are opaque to ocicrypt; report a kid only if it is a CoCo packet.
                    try {
                        keyIds.add(KeyProviderPacket.parseAnnotation(e.getValue()).kid());
                    } catch (MalformedAnnotationException ignored) {
                        // not a CoCo packet: no key id to report
                    }
                }
            } else {
                kinds.add(scheme);
                if (name.equals(JweKeyWrapper.ANNOTATION)) {
                    algorithms.addAll(JweKeyWrapper.recipientAlgorithms(e.getValue()));
                }
            }
        }
        return new LayerEncryptionInfo(i, mediaType, digest, sizeNode.longValue(),
                OciMediaTypes.isEncrypted(mediaType), kinds, algorithms, keyIds);
    }

    private static Map<String, String> annotations(JsonNode node, String what) throws MalformedAnnotationException {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!(node instanceof ObjectNode o)) {
            throw new MalformedAnnotationException(what + ": annotations is not an object");
        }
        if (o.size() > OcicryptLayers.MAX_ANNOTATIONS) {
            throw new MalformedAnnotationException(what + ": more than " + OcicryptLayers.MAX_ANNOTATIONS
                    + " annotations");
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!e.getValue().isString()) {
                throw new MalformedAnnotationException(what + ": annotation " + e.getKey() + " is not a string");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }
}
