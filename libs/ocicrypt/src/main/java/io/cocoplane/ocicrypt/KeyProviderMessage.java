package io.cocoplane.ocicrypt;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The ocicrypt key-provider protocol messages (containers/ocicrypt {@code keywrap/keyprovider/keyprovider.go},
 * {@code docs/keyprovider.md}; registry note §3.6): the JSON exchanged with a key-provider command on stdin/stdout or
 * carried as the single bytes field of the gRPC {@code keyprovider.KeyProviderService} {@code WrapKey} /
 * {@code UnWrapKey} calls.
 *
 * <p>Input, as Go's encoding/json writes it (struct fields are never omitted, nil values become {@code null}):
 * <pre>
 * {"op":"keywrap","keywrapparams":{"ec":{"Parameters":{"&lt;provider&gt;":["&lt;b64&gt;"]},"DecryptConfig":{"Parameters":null}},
 *   "optsdata":"&lt;b64 private options&gt;"},"keyunwrapparams":{"dc":null,"annotation":null}}
 * {"op":"keyunwrap","keywrapparams":{"ec":null,"optsdata":null},
 *   "keyunwrapparams":{"dc":{"Parameters":{...}},"annotation":"&lt;b64 of the annotation bytes, e.g. the CoCo packet JSON&gt;"}}
 * </pre>
 * Output: {@code {"keywrapresults":{"annotation":<bytes>},"keyunwrapresults":{"optsdata":<bytes>}}} with the unused
 * member {@code null}. Every byte field is read either as a standard-base64 string (Go {@code []byte}) or as a JSON
 * array of integers 0..255 (Rust serde {@code Vec<u8>}, as CoCo's coco_keyprovider writes); it is written as base64.
 *
 * @param operation   {@link #OP_KEYWRAP} or {@link #OP_KEYUNWRAP}
 * @param parameters  {@code ec.Parameters} (keywrap) or {@code dc.Parameters} (keyunwrap): provider or scheme name to
 *                    a list of byte strings; empty when absent
 * @param optsData    the private options JSON for keywrap, else null
 * @param annotation  the annotation bytes for keyunwrap (the base64-decoded annotation value), else null
 */
public record KeyProviderMessage(String operation, Map<String, List<byte[]>> parameters, byte[] optsData,
        byte[] annotation) {

    /** Operation name for wrapping. */
    public static final String OP_KEYWRAP = "keywrap";
    /** Operation name for unwrapping. */
    public static final String OP_KEYUNWRAP = "keyunwrap";
    /** Largest message accepted by the parsers, in bytes. */
    public static final int MAX_MESSAGE_BYTES = 256 * 1024;
    /** Largest byte field accepted, in bytes. */
    public static final int MAX_FIELD_BYTES = 64 * 1024;
    /** Most parameter names, and most values per name. */
    public static final int MAX_PARAMETERS = 64;

    private static final String WHAT = "key-provider message";

    /**
     * Validates and copies.
     *
     * @throws IllegalArgumentException when the operation is unknown or the field required by it is null
     */
    public KeyProviderMessage {
        if (OP_KEYWRAP.equals(operation) ? optsData == null : !OP_KEYUNWRAP.equals(operation) || annotation == null) {
            throw new IllegalArgumentException("keywrap needs optsdata, keyunwrap needs annotation; op=" + operation);
        }
        Map<String, List<byte[]>> copy = new LinkedHashMap<>();
        if (parameters != null) {
            parameters.forEach((k, v) -> copy.put(k, v.stream().map(byte[]::clone).toList()));
        }
        parameters = java.util.Collections.unmodifiableMap(copy);
        optsData = optsData == null ? null : optsData.clone();
        annotation = annotation == null ? null : annotation.clone();
    }

    /**
     * @param ecParameters {@code ec.Parameters}, e.g. {@code attestation-agent -> ["keyid=kbs:///a/b/c"]}
     * @param optsData     the private options JSON
     * @return a keywrap request
     */
    public static KeyProviderMessage keyWrap(Map<String, List<byte[]>> ecParameters, byte[] optsData) {
        return new KeyProviderMessage(OP_KEYWRAP, ecParameters, optsData, null);
    }

    /**
     * @param dcParameters {@code dc.Parameters}
     * @param annotation   the base64-decoded annotation value
     * @return a keyunwrap request
     */
    public static KeyProviderMessage keyUnwrap(Map<String, List<byte[]>> dcParameters, byte[] annotation) {
        return new KeyProviderMessage(OP_KEYUNWRAP, dcParameters, null, annotation);
    }

    /** @return a copy of the private options JSON, or null */
    @Override
    public byte[] optsData() {
        return optsData == null ? null : optsData.clone();
    }

    /** @return a copy of the annotation bytes, or null */
    @Override
    public byte[] annotation() {
        return annotation == null ? null : annotation.clone();
    }

    /** Compares all fields by content (byte arrays included). */
    @Override
    public boolean equals(Object other) {
        if (!(other instanceof KeyProviderMessage m) || !operation.equals(m.operation)
                || !java.util.Arrays.equals(optsData, m.optsData) || !java.util.Arrays.equals(annotation, m.annotation)
                || !parameters.keySet().equals(m.parameters.keySet())) {
            return false;
        }
        for (Map.Entry<String, List<byte[]>> e : parameters.entrySet()) {
            List<byte[]> a = e.getValue();
            List<byte[]> b = m.parameters.get(e.getKey());
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!java.util.Arrays.equals(a.get(i), b.get(i))) {
                    return false;
                }
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        return operation.hashCode() * 31 + parameters.keySet().hashCode();
    }

    /** @return the operation and parameter names only (the byte fields may hold key material) */
    @Override
    public String toString() {
        return "KeyProviderMessage[op=" + operation + ", parameters=" + parameters.keySet() + "]";
    }

    /**
     * @return the request JSON as Go ocicrypt marshals {@code KeyProviderKeyWrapProtocolInput}
     */
    public byte[] toJson() {
        ObjectNode o = Json.object();
        o.put("op", operation);
        ObjectNode wrap = o.putObject("keywrapparams");
        ObjectNode unwrap = o.putObject("keyunwrapparams");
        if (OP_KEYWRAP.equals(operation)) {
            ObjectNode ec = wrap.putObject("ec");
            putParameters(ec, parameters);
            ec.putObject("DecryptConfig").putNull("Parameters");
            wrap.put("optsdata", Base64.getEncoder().encodeToString(optsData));
            unwrap.putNull("dc");
            unwrap.putNull("annotation");
        } else {
            wrap.putNull("ec");
            wrap.putNull("optsdata");
            putParameters(unwrap.putObject("dc"), parameters);
            unwrap.put("annotation", Base64.getEncoder().encodeToString(annotation));
        }
        return Json.bytes(o);
    }

    private static void putParameters(ObjectNode parent, Map<String, List<byte[]>> params) {
        if (params.isEmpty()) {
            parent.putNull("Parameters");
            return;
        }
        ObjectNode p = parent.putObject("Parameters");
        params.forEach((k, v) -> {
            ArrayNode a = p.putArray(k);
            v.forEach(b -> a.add(Base64.getEncoder().encodeToString(b)));
        });
    }

    /**
     * Parses a request (what a key provider receives).
     *
     * @param json the request bytes, at most {@link #MAX_MESSAGE_BYTES}
     * @return the request
     * @throws MalformedAnnotationException on oversize input, bad JSON, an unknown {@code op}, a missing
     *         {@code optsdata} / {@code annotation}, a byte field that is neither base64 nor a 0..255 array, or more than
     *         {@link #MAX_PARAMETERS} parameters
     */
    public static KeyProviderMessage parse(byte[] json) throws MalformedAnnotationException {
        ObjectNode o = parseBounded(json);
        String op = Json.text(o, "op", WHAT);
        if (OP_KEYWRAP.equals(op)) {
            ObjectNode wrap = object(o.get("keywrapparams"), "keywrapparams");
            Map<String, List<byte[]>> params = parameters(wrap.get("ec"));
            return new KeyProviderMessage(op, params,
                    Json.goOrRustBytes(wrap.get("optsdata"), WHAT + " optsdata", MAX_FIELD_BYTES), null);
        }
        if (OP_KEYUNWRAP.equals(op)) {
            ObjectNode unwrap = object(o.get("keyunwrapparams"), "keyunwrapparams");
            Map<String, List<byte[]>> params = parameters(unwrap.get("dc"));
            return new KeyProviderMessage(op, params, null,
                    Json.goOrRustBytes(unwrap.get("annotation"), WHAT + " annotation", MAX_FIELD_BYTES));
        }
        throw new MalformedAnnotationException(WHAT + ": unknown op '" + op + "'");
    }

    /**
     * @param annotation the wrapped annotation bytes a provider returns for keywrap
     * @return {@code {"keywrapresults":{"annotation":"<b64>"},"keyunwrapresults":{"optsdata":null}}}
     */
    public static byte[] keyWrapOutput(byte[] annotation) {
        ObjectNode o = Json.object();
        o.putObject("keywrapresults").put("annotation", Base64.getEncoder().encodeToString(annotation));
        o.putObject("keyunwrapresults").putNull("optsdata");
        return Json.bytes(o);
    }

    /**
     * @param optsData the private options JSON a provider returns for keyunwrap
     * @return {@code {"keywrapresults":{"annotation":null},"keyunwrapresults":{"optsdata":"<b64>"}}}
     */
    public static byte[] keyUnwrapOutput(byte[] optsData) {
        ObjectNode o = Json.object();
        o.putObject("keywrapresults").putNull("annotation");
        o.putObject("keyunwrapresults").put("optsdata", Base64.getEncoder().encodeToString(optsData));
        return Json.bytes(o);
    }

    /**
     * Reads {@code keywrapresults.annotation} from a provider's output.
     *
     * @param json output bytes, at most {@link #MAX_MESSAGE_BYTES}
     * @return the annotation bytes (to be base64-encoded into the layer annotation)
     * @throws MalformedAnnotationException on oversize input, bad JSON or a missing / malformed field
     */
    public static byte[] parseKeyWrapOutput(byte[] json) throws MalformedAnnotationException {
        ObjectNode o = parseBounded(json);
        return Json.goOrRustBytes(object(o.get("keywrapresults"), "keywrapresults").get("annotation"),
                WHAT + " keywrapresults.annotation", MAX_FIELD_BYTES);
    }

    /**
     * Reads {@code keyunwrapresults.optsdata} from a provider's output.
     *
     * @param json output bytes, at most {@link #MAX_MESSAGE_BYTES}
     * @return the private options JSON
     * @throws MalformedAnnotationException on oversize input, bad JSON or a missing / malformed field
     */
    public static byte[] parseKeyUnwrapOutput(byte[] json) throws MalformedAnnotationException {
        ObjectNode o = parseBounded(json);
        return Json.goOrRustBytes(object(o.get("keyunwrapresults"), "keyunwrapresults").get("optsdata"),
                WHAT + " keyunwrapresults.optsdata", MAX_FIELD_BYTES);
    }

    private static ObjectNode parseBounded(byte[] json) throws MalformedAnnotationException {
        if (json == null || json.length > MAX_MESSAGE_BYTES) {
            throw new MalformedAnnotationException(WHAT + " missing or larger than " + MAX_MESSAGE_BYTES + " bytes");
        }
        return Json.parseObject(json, WHAT);
    }

    private static ObjectNode object(JsonNode n, String field) throws MalformedAnnotationException {
        if (!(n instanceof ObjectNode o)) {
            throw new MalformedAnnotationException(WHAT + ": '" + field + "' is missing or not an object");
        }
        return o;
    }

    private static Map<String, List<byte[]>> parameters(JsonNode config) throws MalformedAnnotationException {
        Map<String, List<byte[]>> out = new LinkedHashMap<>();
        if (config == null || config.isNull()) {
            return out;
        }
        JsonNode p = object(config, "config").get("Parameters");
        if (p == null || p.isNull()) {
            return out;
        }
        ObjectNode params = object(p, "Parameters");
        if (params.size() > MAX_PARAMETERS) {
            throw new MalformedAnnotationException(WHAT + ": more than " + MAX_PARAMETERS + " parameters");
        }
        for (Map.Entry<String, JsonNode> e : params.properties()) {
            JsonNode values = e.getValue();
            List<byte[]> list = new ArrayList<>();
            if (values != null && !values.isNull()) {
                if (!values.isArray() || values.size() > MAX_PARAMETERS) {
                    throw new MalformedAnnotationException(WHAT + ": parameter '" + e.getKey()
                            + "' must be an array of at most " + MAX_PARAMETERS + " byte strings");
                }
                for (JsonNode v : values) {
                    list.add(Json.goOrRustBytes(v, WHAT + " parameter " + e.getKey(), MAX_FIELD_BYTES));
                }
            }
            out.put(e.getKey(), list);
        }
        return out;
    }
}
