package io.cocoplane.registry.oci;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import io.cocoplane.registry.oci.ParsedManifest.Descriptor;

/**
 * Reads the references out of a pushed manifest without changing it (the bytes are stored as pushed). Accepts OCI
 * image manifests and indexes, Docker schema 2 manifests and manifest lists, and any artifact manifest; unknown layer
 * media types and annotations are never an error (image-spec {@code manifest.md}). Encryption annotations are not
 * read here: {@code io.cocoplane.ocicrypt.ManifestInspector} does that.
 *
 * <p>Limits: nesting depth 64, at most {@link #MAX_DESCRIPTORS} descriptors, at most {@link #MAX_ANNOTATIONS}
 * top-level annotations. Every violation is a {@link RegistryException} with MANIFEST_INVALID (400).
 */
public final class ManifestParser {

    /** Most layers plus child manifests accepted in one manifest. */
    public static final int MAX_DESCRIPTORS = 10_000;
    /** Most top-level annotations accepted. */
    public static final int MAX_ANNOTATIONS = 1_000;

    private static final JsonMapper MAPPER = JsonMapper.builder(JsonFactory.builder()
                    .streamReadConstraints(StreamReadConstraints.builder()
                            .maxNestingDepth(64).maxNumberLength(64).build())
                    .build())
            .build();

    private ManifestParser() {
    }

    /**
     * @param bytes       the manifest bytes
     * @param contentType the {@code Content-Type} of the PUT, or null
     * @return the parsed references
     * @throws RegistryException MANIFEST_INVALID when the bytes are not a JSON object of schemaVersion 2, the media
     *                           type in the body disagrees with {@code Content-Type}, or a descriptor is malformed
     */
    public static ParsedManifest parse(byte[] bytes, String contentType) {
        JsonNode root;
        try {
            root = MAPPER.readTree(bytes);
        } catch (JacksonException e) {
            throw invalid("manifest is not valid JSON");
        }
        if (!(root instanceof ObjectNode o)) {
            throw invalid("manifest is not a JSON object");
        }
        JsonNode schema = o.get("schemaVersion");
        if (schema == null || !schema.isIntegralNumber() || !schema.canConvertToInt() || schema.intValue() != 2) {
            throw invalid("schemaVersion must be 2 (Docker schema 1 is not supported)");
        }
        String bodyType = optText(o, "mediaType");
        String headerType = MediaTypes.stripParameters(contentType);
        if (headerType != null && (headerType.equals("application/octet-stream") || headerType.equals("*/*"))) {
            headerType = null;
        }
        if (bodyType != null && headerType != null && !bodyType.equals(headerType)) {
            throw invalid("mediaType " + bodyType + " does not match Content-Type " + headerType);
        }
        boolean hasManifests = o.has("manifests");
        String mediaType = bodyType != null ? bodyType : headerType != null ? headerType
                : hasManifests ? MediaTypes.OCI_INDEX : MediaTypes.OCI_MANIFEST;
        if (MediaTypes.DOCKER_SCHEMA1_SIGNED.equals(mediaType)) {
            throw invalid("Docker schema 1 is not supported");
        }
        boolean index = MediaTypes.isIndex(mediaType) || (hasManifests && !o.has("layers") && !o.has("config"));
        String artifactType = optText(o, "artifactType");
        Descriptor config = null;
        List<Descriptor> layers = List.of();
        List<Descriptor> manifests = List.of();
        if (index) {
            manifests = descriptors(o.get("manifests"), "manifests");
        } else {
            JsonNode c = o.get("config");
            if (c == null || c.isNull()) {
                throw invalid("image manifest has no config");
            }
            config = descriptor(c, "config");
            layers = descriptors(o.get("layers"), "layers");
        }
        if (layers.size() + manifests.size() > MAX_DESCRIPTORS) {
            throw invalid("more than " + MAX_DESCRIPTORS + " descriptors");
        }
        JsonNode s = o.get("subject");
        Descriptor subject = s == null || s.isNull() ? null : descriptor(s, "subject");
        return new ParsedManifest(mediaType, index, artifactType, config, layers, manifests, subject,
                annotations(o.get("annotations")));
    }

    private static List<Descriptor> descriptors(JsonNode node, String what) {
        if (node == null || node.isNull()) {
            return List.of();
        }
        if (!node.isArray()) {
            throw invalid(what + " is not an array");
        }
        if (node.size() > MAX_DESCRIPTORS) {
            throw invalid("more than " + MAX_DESCRIPTORS + " descriptors");
        }
        List<Descriptor> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
            out.add(descriptor(node.get(i), what + "[" + i + "]"));
        }
        return out;
    }

    private static Descriptor descriptor(JsonNode node, String what) {
        if (!(node instanceof ObjectNode o)) {
            throw invalid(what + " is not an object");
        }
        String mediaType = optText(o, "mediaType");
        if (mediaType == null) {
            throw invalid(what + ".mediaType is missing");
        }
        String digest = optText(o, "digest");
        if (digest == null) {
            throw invalid(what + ".digest is missing");
        }
        Digest d;
        try {
            d = Digest.parse(digest);
        } catch (RegistryException e) {
            throw invalid(what + ".digest is invalid or of an unsupported algorithm");
        }
        JsonNode size = o.get("size");
        if (size == null || !size.isIntegralNumber() || !size.canConvertToLong() || size.longValue() < 0) {
            throw invalid(what + ".size must be a non-negative integer");
        }
        JsonNode urls = o.get("urls");
        boolean external = (urls != null && urls.isArray() && !urls.isEmpty())
                || MediaTypes.DOCKER_FOREIGN_LAYER.equals(mediaType);
        return new Descriptor(mediaType, d, size.longValue(), external);
    }

    private static Map<String, String> annotations(JsonNode node) {
        Map<String, String> out = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return out;
        }
        if (!(node instanceof ObjectNode o)) {
            throw invalid("annotations is not an object");
        }
        if (o.size() > MAX_ANNOTATIONS) {
            throw invalid("more than " + MAX_ANNOTATIONS + " annotations");
        }
        for (Map.Entry<String, JsonNode> e : o.properties()) {
            if (!e.getValue().isString()) {
                throw invalid("annotation " + e.getKey() + " is not a string");
            }
            out.put(e.getKey(), e.getValue().stringValue());
        }
        return out;
    }

    private static String optText(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        if (n == null || n.isNull()) {
            return null;
        }
        if (!n.isString()) {
            throw invalid(field + " is not a string");
        }
        return n.stringValue();
    }

    private static RegistryException invalid(String message) {
        return new RegistryException(OciError.MANIFEST_INVALID, message);
    }
}
