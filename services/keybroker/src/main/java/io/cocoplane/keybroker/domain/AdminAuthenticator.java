package io.cocoplane.keybroker.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * Admin API authentication and authorization, trustee's {@code AuthenticatedAuthorization} mode (note §1.2) without
 * its open default (hazard §10 #6): with no identity provider or no rule configured, every admin call is refused.
 *
 * <p>Authentication: {@code Authorization: Bearer <JWT>}; each provider is tried in turn. The provider's public key
 * fixes the algorithm family — Ed25519 → {@code EdDSA} (verified with the JDK), EC → {@code ES256/384/512}, RSA →
 * {@code RS*}/{@code PS*} — so a token cannot pick a weaker verification. {@code exp} is required (leeway applies),
 * {@code nbf} honoured, {@code iss} and {@code aud} compared when configured, and a string claim {@code role} required.
 * Authorization: the first rule whose role equals the token's and whose regex matches the request <em>path</em> (no
 * query string, unlike trustee: hazard §10 #13) allows; otherwise 403.
 */
public final class AdminAuthenticator {

    /** Longest bearer token accepted. */
    public static final int MAX_TOKEN_CHARS = 16 * 1024;

    /**
     * An accepted token issuer.
     *
     * @param issuer    required {@code iss}, or null
     * @param audience  required {@code aud} member, or null
     * @param publicKey the verification key (Ed25519, EC or RSA)
     */
    public record IdentityProvider(String issuer, String audience, PublicKey publicKey) {
    }

    /**
     * An access rule.
     *
     * @param role             the role claim value it applies to
     * @param allowedEndpoints regex over the request path; must start with {@code ^/kbs} and end with {@code $}
     */
    public record AccessRule(String role, Pattern allowedEndpoints) {
        /**
         * @throws IllegalArgumentException when the role is empty or the regex is not anchored as required
         */
        public AccessRule {
            if (role == null || role.isEmpty()) {
                throw new IllegalArgumentException("admin rule without a role");
            }
            String p = allowedEndpoints == null ? "" : allowedEndpoints.pattern();
            if (!p.startsWith("^/kbs") || !p.endsWith("$")) {
                throw new IllegalArgumentException("admin rule regex must start with ^/kbs and end with $: " + p);
            }
        }
    }

    /**
     * An authenticated, authorized admin.
     *
     * @param subject {@code sub} claim, else {@code iss}, else the role
     * @param role    the role claim
     */
    public record Admin(String subject, String role) {
    }

    private final List<IdentityProvider> providers;
    private final List<AccessRule> rules;
    private final Duration leeway;
    private final Clock clock;

    /**
     * @param providers accepted issuers (empty: closed)
     * @param rules     access rules (empty: closed)
     * @param leeway    clock skew on {@code exp}/{@code nbf}
     * @param clock     clock
     */
    public AdminAuthenticator(List<IdentityProvider> providers, List<AccessRule> rules, Duration leeway, Clock clock) {
        this.providers = List.copyOf(providers);
        this.rules = List.copyOf(rules);
        this.leeway = leeway;
        this.clock = clock;
    }

    /** @return whether any provider and rule are configured */
    public boolean configured() {
        return !providers.isEmpty() && !rules.isEmpty();
    }

    /**
     * @param authorization the {@code Authorization} header, or null
     * @param path          the request path (no query)
     * @return the admin
     * @throws KbsException 401 when closed or the token is missing/invalid; 403 when no rule allows the path
     */
    public Admin authorize(String authorization, String path) {
        if (!configured()) {
            throw KbsException.adminUnauthenticated("admin API is closed: no identity provider and access rule "
                    + "are configured (cocoplane.keybroker.admin.*)");
        }
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw KbsException.adminUnauthenticated("admin API needs Authorization: Bearer <JWT>");
        }
        String token = authorization.substring(7).trim();
        if (token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            throw KbsException.adminUnauthenticated("admin bearer token missing or too long");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw KbsException.adminUnauthenticated("admin bearer token is not a signed JWT");
        }
        if (jwt.getHeader().getJWK() != null || jwt.getHeader().getJWKURL() != null
                || jwt.getHeader().getX509CertChain() != null || jwt.getHeader().getX509CertURL() != null) {
            throw KbsException.adminUnauthenticated("admin token carries its own key; refused");
        }
        IdentityProvider match = null;
        for (IdentityProvider p : providers) {
            if (verifies(jwt, p.publicKey())) {
                match = p;
                break;
            }
        }
        if (match == null) {
            throw KbsException.adminUnauthenticated("admin token signature does not verify under any configured key");
        }
        Instant now = clock.instant();
        Date exp = claims.getExpirationTime();
        if (exp == null || !now.isBefore(exp.toInstant().plus(leeway))) {
            throw KbsException.adminUnauthenticated("admin token has no exp or has expired");
        }
        if (claims.getNotBeforeTime() != null && claims.getNotBeforeTime().toInstant().isAfter(now.plus(leeway))) {
            throw KbsException.adminUnauthenticated("admin token is not yet valid");
        }
        if (match.issuer() != null && !match.issuer().equals(claims.getIssuer())) {
            throw KbsException.adminUnauthenticated("admin token issuer is not " + match.issuer());
        }
        if (match.audience() != null && (claims.getAudience() == null
                || !claims.getAudience().contains(match.audience()))) {
            throw KbsException.adminUnauthenticated("admin token audience does not contain " + match.audience());
        }
        Object role = claims.getClaim("role");
        if (!(role instanceof String r) || r.isEmpty()) {
            throw KbsException.adminUnauthenticated("admin token has no string role claim");
        }
        for (AccessRule rule : rules) {
            if (rule.role().equals(r) && rule.allowedEndpoints().matcher(path).matches()) {
                String subject = claims.getSubject() != null ? claims.getSubject()
                        : claims.getIssuer() != null ? claims.getIssuer() : r;
                return new Admin(subject, r);
            }
        }
        throw KbsException.adminForbidden("role " + r + " is not allowed for path " + path);
    }

    private static boolean verifies(SignedJWT jwt, PublicKey key) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        try {
            if ("Ed25519".equals(key.getAlgorithm()) || "EdDSA".equals(key.getAlgorithm())) {
                if (!JWSAlgorithm.EdDSA.equals(alg) && !JWSAlgorithm.Ed25519.equals(alg)) {
                    return false;
                }
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(jwt.getSigningInput());
                return s.verify(jwt.getSignature().decode());
            }
            JWSVerifier v;
            if (key instanceof ECPublicKey ec && JWSAlgorithm.Family.EC.contains(alg)) {
                v = new ECDSAVerifier(ec);
            } else if (key instanceof RSAPublicKey rsa && JWSAlgorithm.Family.RSA.contains(alg)) {
                v = new RSASSAVerifier(rsa);
            } else {
                return false;
            }
            return jwt.verify(v);
        } catch (GeneralSecurityException | JOSEException | IllegalStateException e) {
            return false;
        }
    }

    /** Decodes a PEM {@code PUBLIC KEY} (SPKI) as Ed25519, EC or RSA. */
    public static PublicKey parsePublicKeyPem(String pem) {
        String b64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
        byte[] der = java.util.Base64.getDecoder().decode(b64.getBytes(StandardCharsets.US_ASCII));
        for (String alg : List.of("Ed25519", "EC", "RSA")) {
            try {
                return java.security.KeyFactory.getInstance(alg)
                        .generatePublic(new java.security.spec.X509EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next key type
            }
        }
        throw new IllegalArgumentException("not an Ed25519, EC or RSA SubjectPublicKeyInfo PEM");
    }
}
