package io.cocoplane.ocicrypt;

import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWECryptoParts;
import com.nimbusds.jose.JWEDecrypter;
import com.nimbusds.jose.JWEEncrypter;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDHDecrypter;
import com.nimbusds.jose.crypto.ECDHEncrypter;
import com.nimbusds.jose.crypto.RSADecrypter;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.util.Base64URL;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * ocicrypt's JWE key wrapper ({@code keywrap/jwe/keywrapper_jwe.go} on go-jose, registry note §3.4), built on
 * nimbus-jose-jwt: the payload is the private options JSON, content encryption A256GCM, one key-management algorithm
 * per recipient ({@link JweRecipient}).
 *
 * <p>Annotation {@link #ANNOTATION}: standard base64 (padded) of a JWE in JSON serialization (RFC 7516 §7.2); several
 * independent JWEs are joined by {@code ,}. Shapes, as go-jose writes them:
 * <ul>
 * <li>one recipient, <em>flattened</em>: {@code {"protected","encrypted_key","iv","ciphertext","tag"}}, the protected
 * header holding {@code alg}, {@code enc} (and {@code epk} for ECDH-ES);</li>
 * <li>several recipients, <em>general</em>: {@code {"protected":b64url({"enc":"A256GCM"}),"recipients":[{"header":
 * {"alg"[,"epk"]},"encrypted_key"}...],"encrypted_key":<first recipient's>,"iv","ciphertext","tag"}} (go-jose repeats
 * the first recipient's {@code encrypted_key} at top level).</li>
 * </ul>
 * The GCM additional authenticated data is the ASCII of the {@code protected} member (plus {@code "." + aad} when an
 * {@code aad} member is present). IV 12 bytes, tag 16 bytes.
 */
public final class JweKeyWrapper {

    /** Layer annotation holding the JWE wrappings. */
    public static final String ANNOTATION = "org.opencontainers.image.enc.keys.jwe";
    /** Largest annotation value accepted by {@link #unwrap}, in characters. */
    public static final int MAX_ANNOTATION_CHARS = 1024 * 1024;
    /** Most comma-separated JWEs accepted in one annotation. */
    public static final int MAX_JWES = 32;
    /** Most recipients accepted in one JWE. */
    public static final int MAX_RECIPIENTS = 64;
    /** Largest private options payload {@link #wrap} accepts, in bytes. */
    public static final int MAX_PAYLOAD_BYTES = PrivateOptions.MAX_JSON_BYTES;

    private static final String WHAT = "JWE annotation";
    private static final SecureRandom RANDOM = new SecureRandom();

    private JweKeyWrapper() {
    }

    /**
     * Wraps the private options for the given recipients into one JWE and returns the annotation value.
     *
     * @param privateOptionsJson the payload ({@link PrivateOptions#toJson()}), at most {@link #MAX_PAYLOAD_BYTES}
     * @param recipients         1 to {@link #MAX_RECIPIENTS} recipients
     * @return standard base64 of the JWE JSON (flattened for one recipient, general otherwise)
     * @throws MalformedAnnotationException when the payload or recipient list is empty or too large
     * @throws OcicryptException            when nimbus rejects a key (e.g. RSA below 2048 bits, unsupported curve)
     */
    public static String wrap(byte[] privateOptionsJson, List<JweRecipient> recipients) throws OcicryptException {
        if (privateOptionsJson == null || privateOptionsJson.length == 0
                || privateOptionsJson.length > MAX_PAYLOAD_BYTES) {
            throw new MalformedAnnotationException("JWE payload missing or larger than " + MAX_PAYLOAD_BYTES + " bytes");
        }
        if (recipients == null || recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
            throw new MalformedAnnotationException("JWE needs 1 to " + MAX_RECIPIENTS + " recipients");
        }
        byte[] cekBytes = new byte[32];
        RANDOM.nextBytes(cekBytes);
        SecretKey cek = new SecretKeySpec(cekBytes, "AES");
        try {
            ObjectNode jwe = Json.object();
            if (recipients.size() == 1) {
                JweRecipient r = recipients.get(0);
                JWEHeader header = new JWEHeader(JWEAlgorithm.parse(r.algorithm().joseName()), EncryptionMethod.A256GCM);
                JWEObject single = new JWEObject(header, new Payload(privateOptionsJson));
                single.encrypt(encrypter(r, cek));
                // For one recipient every parameter is protected; nimbus computes the AAD from the final header
                // (with epk for ECDH-ES), exactly the string written to "protected".
                jwe.put("protected", single.getHeader().toBase64URL().toString());
                jwe.put("encrypted_key", single.getEncryptedKey().toString());
                jwe.put("iv", single.getIV().toString());
                jwe.put("ciphertext", single.getCipherText().toString());
                jwe.put("tag", single.getAuthTag().toString());
            } else {
                String protectedB64 = Base64URL.encode("{\"enc\":\"A256GCM\"}").toString();
                byte[] aad = protectedB64.getBytes(StandardCharsets.US_ASCII);
                jwe.put("protected", protectedB64);
                ArrayNode list = jwe.putArray("recipients");
                JWECryptoParts first = null;
                for (JweRecipient r : recipients) {
                    JWEHeader header = new JWEHeader(JWEAlgorithm.parse(r.algorithm().joseName()),
                            EncryptionMethod.A256GCM);
                    JWECryptoParts parts = encrypter(r, cek).encrypt(header, privateOptionsJson, aad);
                    ObjectNode entry = list.addObject();
                    ObjectNode h = entry.putObject("header");
                    h.put("alg", r.algorithm().joseName());
                    ECKey epk = parts.getHeader().getEphemeralPublicKey() instanceof ECKey e ? e : null;
                    if (epk != null) {
                        ObjectNode e = h.putObject("epk");
                        e.put("kty", "EC");
                        e.put("crv", epk.getCurve().getName());
                        e.put("x", epk.getX().toString());
                        e.put("y", epk.getY().toString());
                    }
                    entry.put("encrypted_key", parts.getEncryptedKey().toString());
                    if (first == null) {
                        first = parts;
                    }
                }
                jwe.put("encrypted_key", first.getEncryptedKey().toString());
                jwe.put("iv", first.getInitializationVector().toString());
                jwe.put("ciphertext", first.getCipherText().toString());
                jwe.put("tag", first.getAuthenticationTag().toString());
            }
            return Base64.getEncoder().encodeToString(Json.bytes(jwe));
        } catch (JOSEException e) {
            throw new OcicryptException("JWE key wrapping failed: " + e.getMessage(), e);
        }
    }

    private static JWEEncrypter encrypter(JweRecipient r, SecretKey cek) throws JOSEException {
        if (r.publicKey() instanceof RSAPublicKey rsa) {
            return new RSAEncrypter(rsa, cek);
        }
        return new ECDHEncrypter((ECPublicKey) r.publicKey(), cek);
    }

    /**
     * Recovers the private options from a JWE annotation with the first (recipient, key) pair that decrypts.
     *
     * @param annotationValue the {@link #ANNOTATION} value: comma-separated standard-base64 JWE JSON documents
     * @param privateKeys     candidate {@link RSAPrivateKey}s / {@link ECPrivateKey}s, tried in order
     * @return the payload (private options JSON)
     * @throws MalformedAnnotationException on bad base64 or JSON, missing members, or counts/sizes above the limits
     * @throws KeyUnwrapException           when no key opens any recipient (wrong key, tampered JWE, unknown alg)
     */
    public static byte[] unwrap(String annotationValue, List<? extends PrivateKey> privateKeys)
            throws MalformedAnnotationException, KeyUnwrapException {
        List<ParsedJwe> jwes = parse(annotationValue);
        if (privateKeys == null || privateKeys.isEmpty()) {
            throw new KeyUnwrapException("no private keys given for the JWE key wrapper");
        }
        Exception last = null;
        for (ParsedJwe jwe : jwes) {
            for (int index = 0; index < jwe.headers.size(); index++) {
                ObjectNode header = jwe.headers.get(index);
                JweRecipient.Algorithm alg = JweRecipient.Algorithm.fromJoseName(textOrNull(header, "alg"));
                if (alg == null) {
                    continue;
                }
                JWEHeader jweHeader;
                try {
                    jweHeader = JWEHeader.parse(header.toString());
                } catch (ParseException | RuntimeException e) {
                    last = e;
                    continue;
                }
                for (PrivateKey key : privateKeys) {
                    if (alg.isRsa() ? !(key instanceof RSAPrivateKey) : !(key instanceof ECPrivateKey)) {
                        continue;
                    }
                    try {
                        JWEDecrypter d = key instanceof RSAPrivateKey ? new RSADecrypter(key)
                                : new ECDHDecrypter((ECPrivateKey) key);
                        return d.decrypt(jweHeader, jwe.encryptedKeys.get(index), jwe.iv, jwe.ciphertext, jwe.tag,
                                jwe.aad);
                    } catch (JOSEException | RuntimeException e) {
                        last = e;
                    }
                }
            }
        }
        throw new KeyUnwrapException("no suitable key unwrapper found or none of the private keys could be used for "
                + "decryption (JWE)", last);
    }

    /**
     * Lists the {@code alg} of every recipient in a JWE annotation, without decrypting (for inventory).
     *
     * @param annotationValue the {@link #ANNOTATION} value
     * @return JOSE {@code alg} names in order of appearance (may contain algorithms ocicrypt does not use)
     * @throws MalformedAnnotationException on bad base64 or JSON, missing members, or counts/sizes above the limits
     */
    public static List<String> recipientAlgorithms(String annotationValue) throws MalformedAnnotationException {
        List<String> out = new ArrayList<>();
        for (ParsedJwe jwe : parse(annotationValue)) {
            for (ObjectNode h : jwe.headers) {
                String alg = textOrNull(h, "alg");
                out.add(alg == null ? "" : alg);
            }
        }
        return out;
    }

    private record ParsedJwe(List<ObjectNode> headers, List<Base64URL> encryptedKeys, Base64URL iv,
            Base64URL ciphertext, Base64URL tag, byte[] aad) {
    }

    private static List<ParsedJwe> parse(String annotationValue) throws MalformedAnnotationException {
        if (annotationValue == null || annotationValue.isEmpty() || annotationValue.length() > MAX_ANNOTATION_CHARS) {
            throw new MalformedAnnotationException(WHAT + " missing, empty or longer than " + MAX_ANNOTATION_CHARS);
        }
        String[] parts = annotationValue.split(",", -1);
        if (parts.length > MAX_JWES) {
            throw new MalformedAnnotationException(WHAT + " holds more than " + MAX_JWES + " JWEs");
        }
        List<ParsedJwe> out = new ArrayList<>();
        for (String part : parts) {
            out.add(parseOne(Json.parseObject(Json.b64(part.strip(), WHAT), WHAT)));
        }
        return out;
    }

    private static ParsedJwe parseOne(ObjectNode o) throws MalformedAnnotationException {
        String protectedB64 = Json.text(o, "protected", WHAT);
        ObjectNode prot = Json.parseObject(b64url(protectedB64, "protected"), WHAT + " protected header");
        ObjectNode shared = prot.deepCopy();
        mergeInto(shared, o.get("unprotected"), "unprotected");
        String aadMember = Json.optText(o, "aad", WHAT);
        byte[] aad = (aadMember == null ? protectedB64 : protectedB64 + "." + aadMember)
                .getBytes(StandardCharsets.US_ASCII);
        List<ObjectNode> headers = new ArrayList<>();
        List<Base64URL> keys = new ArrayList<>();
        JsonNode recipients = o.get("recipients");
        if (recipients != null && !recipients.isNull()) {
            if (!recipients.isArray() || recipients.isEmpty() || recipients.size() > MAX_RECIPIENTS) {
                throw new MalformedAnnotationException(WHAT + ": recipients must be an array of 1 to "
                        + MAX_RECIPIENTS);
            }
            for (JsonNode r : recipients) {
                if (!(r instanceof ObjectNode ro)) {
                    throw new MalformedAnnotationException(WHAT + ": a recipient is not an object");
                }
                ObjectNode h = shared.deepCopy();
                mergeInto(h, ro.get("header"), "recipient header");
                headers.add(h);
                keys.add(b64urlMember(ro, "encrypted_key", true));
            }
        } else {
            ObjectNode h = shared.deepCopy();
            mergeInto(h, o.get("header"), "header");
            headers.add(h);
            keys.add(b64urlMember(o, "encrypted_key", true));
        }
        return new ParsedJwe(headers, keys, b64urlMember(o, "iv", false), b64urlMember(o, "ciphertext", false),
                b64urlMember(o, "tag", false), aad);
    }

    private static void mergeInto(ObjectNode target, JsonNode extra, String what) throws MalformedAnnotationException {
        if (extra == null || extra.isNull()) {
            return;
        }
        if (!(extra instanceof ObjectNode eo)) {
            throw new MalformedAnnotationException(WHAT + ": " + what + " is not an object");
        }
        for (Map.Entry<String, JsonNode> e : eo.properties()) {
            if (target.has(e.getKey())) {
                throw new MalformedAnnotationException(WHAT + ": header parameter '" + e.getKey()
                        + "' appears in more than one header (RFC 7516 §7.2.1)");
            }
            target.set(e.getKey(), e.getValue());
        }
    }

    private static Base64URL b64urlMember(ObjectNode o, String field, boolean mayBeEmpty)
            throws MalformedAnnotationException {
        String s = Json.optText(o, field, WHAT);
        if (s == null) {
            if (mayBeEmpty) {
                return Base64URL.encode(new byte[0]);
            }
            throw new MalformedAnnotationException(WHAT + ": member '" + field + "' is missing");
        }
        b64url(s, field);
        return new Base64URL(s);
    }

    private static byte[] b64url(String s, String field) throws MalformedAnnotationException {
        try {
            return Base64.getUrlDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new MalformedAnnotationException(WHAT + ": member '" + field + "' is not base64url", e);
        }
    }

    private static String textOrNull(ObjectNode o, String field) {
        JsonNode n = o.get(field);
        return n != null && n.isString() ? n.stringValue() : null;
    }
}
