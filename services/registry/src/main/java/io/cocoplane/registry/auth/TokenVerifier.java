package io.cocoplane.registry.auth;

import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;

/**
 * Verifies Docker registry bearer tokens (distribution {@code docs/content/spec/auth/jwt.md}; registry note §2.5):
 * a JWS signed with RS256/384/512, PS256/384/512 or ES256/384/512 by a key of the configured JWK set (never a key
 * carried in the token header), {@code iss} equal to the configured issuer, {@code aud} containing the configured
 * service, {@code exp} required and {@code exp}/{@code nbf} checked with a leeway; the {@code access} claim is a list
 * of {@code {type, name, actions}} objects.
 */
public final class TokenVerifier {

    /** Longest token accepted, in characters. */
    public static final int MAX_TOKEN_LENGTH = 16 * 1024;

    private static final Set<JWSAlgorithm> ALGORITHMS = Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
            JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
            JWSAlgorithm.ES384, JWSAlgorithm.ES512);

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

    /**
     * @param keys    the trusted signing keys
     * @param issuer  the required {@code iss}
     * @param service the required audience (the registry's {@code service} name)
     * @param leeway  allowed clock skew for {@code exp} and {@code nbf}
     */
    public TokenVerifier(JWKSource<SecurityContext> keys, String issuer, String service, Duration leeway) {
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(ALGORITHMS, keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(service,
                new JWTClaimsSet.Builder().issuer(issuer).build(), Set.of("exp", "iss", "aud"));
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, leeway.toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /**
     * @param token the compact JWS from {@code Authorization: Bearer}
     * @return the verified token
     * @throws InvalidTokenException when the token is too long, malformed, unsigned, signed by an unknown key, expired,
     *                               or has the wrong issuer, audience or {@code access} shape
     */
    public AccessToken verify(String token) throws InvalidTokenException {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("token missing or too long");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("token is not a JWT");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException("token rejected: " + e.getMessage());
        } catch (JOSEException e) {
            throw new InvalidTokenException("token could not be verified");
        }
        return new AccessToken(claims.getSubject(), access(claims.getClaim("access")));
    }

    private static List<AccessToken.Access> access(Object claim) throws InvalidTokenException {
        if (claim == null) {
            return List.of();
        }
        if (!(claim instanceof List<?> list) || list.size() > 1000) {
            throw new InvalidTokenException("access claim is not a list");
        }
        List<AccessToken.Access> out = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)
                    || !(m.get("name") instanceof String name)) {
                throw new InvalidTokenException("access entry lacks type or name");
            }
            Object acts = m.get("actions");
            Set<String> actions = new HashSet<>();
            if (acts instanceof List<?> al) {
                for (Object a : al) {
                    if (!(a instanceof String s)) {
                        throw new InvalidTokenException("access actions must be strings");
                    }
                    actions.add(s);
                }
            } else if (acts != null) {
                throw new InvalidTokenException("access actions is not a list");
            }
            out.add(new AccessToken.Access(type, name, List.copyOf(actions)));
        }
        return out;
    }
}
