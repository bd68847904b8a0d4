package io.cocoplane.attestation.core;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Verifies trustee-style admin bearer tokens ({@code kbs-attestation.md} §1.2): a compact JWS with header
 * {@code alg} {@code EdDSA} (or {@code Ed25519}, RFC 9864) signed by the configured Ed25519 key (RFC 8032; verified
 * with the JDK), {@code exp} required and checked with {@value #LEEWAY_SECONDS} s leeway, {@code nbf} checked when
 * present, a string claim {@code role} equal to {@code "admin"}, and {@code iss} / {@code aud} compared when
 * configured. The caller's name (for events) is {@code sub}, else {@code iss}, else {@code "admin"}.
 *
 * <p>The key is given as a PEM {@code PUBLIC KEY} (SubjectPublicKeyInfo, RFC 8410) or as a JWK
 * {@code {"kty":"OKP","crv":"Ed25519","x":…}} (RFC 8037). Tokens longer than {@value #MAX_TOKEN_CHARS} characters are
 * refused unread.
 */
public final class AdminTokenVerifier {

    /** Clock skew tolerated on {@code exp}/{@code nbf}, in seconds (jsonwebtoken's default, as trustee). */
    public static final int LEEWAY_SECONDS = 60;
    /** Longest accepted token. */
    public static final int MAX_TOKEN_CHARS = 8192;

    private static final byte[] ED25519_SPKI_PREFIX = HexFormat.of().parseHex("302a300506032b6570032100");

    private final PublicKey key;
    private final String issuer;
    private final String audience;
    private final Clock clock;

    /**
     * @param key      the Ed25519 public key
     * @param issuer   required {@code iss}, or {@code null}
     * @param audience required {@code aud} member, or {@code null}
     * @param clock    clock for {@code exp}/{@code nbf}
     */
    public AdminTokenVerifier(PublicKey key, String issuer, String audience, Clock clock) {
        this.key = key;
        this.issuer = blankToNull(issuer);
        this.audience = blankToNull(audience);
        this.clock = clock;
    }

    /**
     * Parses an Ed25519 public key.
     *
     * @param text a PEM {@code PUBLIC KEY} or an OKP/Ed25519 JWK JSON object
     * @return the key
     * @throws IllegalArgumentException when it is neither
     */
    public static PublicKey parsePublicKey(String text) {
        String t = text == null ? "" : text.strip();
        byte[] spki;
        if (t.startsWith("{")) {
            try {
                JWK jwk = JWK.parse(t);
                if (!(jwk instanceof OctetKeyPair okp) || !Curve.Ed25519.equals(okp.getCurve())) {
                    throw new IllegalArgumentException("admin key JWK must be kty OKP, crv Ed25519");
                }
                byte[] x = okp.getDecodedX();
                if (x.length != 32) {
                    throw new IllegalArgumentException("admin key JWK x must be 32 bytes");
                }
                spki = new byte[ED25519_SPKI_PREFIX.length + 32];
                System.arraycopy(ED25519_SPKI_PREFIX, 0, spki, 0, ED25519_SPKI_PREFIX.length);
                System.arraycopy(x, 0, spki, ED25519_SPKI_PREFIX.length, 32);
            } catch (ParseException e) {
                throw new IllegalArgumentException("admin key is not a valid JWK: " + e.getMessage());
            }
        } else {
            String begin = "-----BEGIN PUBLIC KEY-----";
            String end = "-----END PUBLIC KEY-----";
            int b = t.indexOf(begin);
            int e = b < 0 ? -1 : t.indexOf(end, b);
            if (b < 0 || e < 0) {
                throw new IllegalArgumentException("admin key must be a PEM PUBLIC KEY or an Ed25519 JWK");
            }
            try {
                spki = Base64.getMimeDecoder().decode(t.substring(b + begin.length(), e));
            } catch (IllegalArgumentException ex) {
                throw new IllegalArgumentException("admin key PEM body is not base64");
            }
        }
        try {
            return KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
        } catch (GeneralSecurityException e) {
            throw new IllegalArgumentException("admin key is not an Ed25519 public key: " + e.getMessage());
        }
    }

    /**
     * @param authorization the {@code Authorization} header value, or {@code null}
     * @return the caller's name
     * @throws AdminAuthenticationException when the token is not acceptable
     */
    public String authenticate(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AdminAuthenticationException("an admin bearer token is required");
        }
        String token = authorization.substring(7).strip();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw new AdminAuthenticationException("bearer token is empty or too long");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException | RuntimeException e) {
            throw new AdminAuthenticationException("bearer token is not a signed JWT");
        }
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.EdDSA.equals(alg) && !"Ed25519".equals(alg.getName())) {
            throw new AdminAuthenticationException("admin tokens must be EdDSA (Ed25519) signed");
        }
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(key);
            s.update(jwt.getSigningInput());
            if (!s.verify(jwt.getSignature().decode())) {
                throw new AdminAuthenticationException("bearer token signature does not verify");
            }
        } catch (GeneralSecurityException e) {
            throw new AdminAuthenticationException("bearer token signature does not verify");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null) {
            throw new AdminAuthenticationException("bearer token has no exp");
        }
        if (now.isAfter(exp.toInstant().plus(Duration.ofSeconds(LEEWAY_SECONDS)))) {
            throw new AdminAuthenticationException("bearer token expired");
        }
        Date nbf = claims.getNotBeforeTime();
        if (nbf != null && now.plus(Duration.ofSeconds(LEEWAY_SECONDS)).isBefore(nbf.toInstant())) {
            throw new AdminAuthenticationException("bearer token not yet valid");
        }
        if (issuer != null && !issuer.equals(claims.getIssuer())) {
            throw new AdminAuthenticationException("bearer token issuer not accepted");
        }
        if (audience != null) {
            List<String> aud = claims.getAudience();
            if (aud == null || !aud.contains(audience)) {
                throw new AdminAuthenticationException("bearer token audience not accepted");
            }
        }
        if (!(claims.getClaim("role") instanceof String role) || !"admin".equals(role)) {
            throw new AdminAuthenticationException("bearer token lacks role \"admin\"");
        }
        String who = claims.getSubject() != null ? claims.getSubject() : claims.getIssuer();
        return who == null || who.isBlank() ? "admin" : (who.length() > 200 ? who.substring(0, 200) : who);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
