package io.cocoplane.local;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.EdECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The development profile's keys, tokens and passwords: generated on the first {@code up}, kept under
 * {@code .cocoplane/local/} and reused on later ones (secret files 0600, directories 0700).
 *
 * <table>
 * <caption>files</caption>
 * <tr><td>{@code keys/gateway-jwt.key.pem}, {@code .pub.pem}</td><td>RSA 2048: signs the people tokens (RS256); the
 *     gateway verifies them with {@code spring.security.oauth2.resourceserver.jwt.public-key-location}</td></tr>
 * <tr><td>{@code tokens/{admin,deployer,auditor}.jwt}</td><td>gateway bearer tokens: {@code iss} {@value #TOKEN_ISSUER},
 *     {@code sub} {@code local-<role>}, {@code roles: [<role>]}, valid {@link #TOKEN_LIFETIME}; re-minted on
 *     {@code up} when missing, signed by another key, or expiring within {@link #RENEW_BEFORE}</td></tr>
 * <tr><td>{@code keys/gateway-admin.key.pem}, {@code .pub.pem}</td><td>Ed25519: the gateway's own admin credential
 *     ({@code cocoplane.gateway.keybroker-admin.private-key}, {@code iss} {@value #GATEWAY_ISSUER}); trusted by
 *     the key broker's admin API and by the attestation service's</td></tr>
 * <tr><td>{@code keys/kbs-admin.key.pem}, {@code .pub.pem}, {@code tokens/kbs-admin.jwt}</td><td>Ed25519: a
 *     trustee-style admin token for the key broker itself ({@code iss} {@value #KBS_ADMIN_ISSUER},
 *     {@code role: admin}, EdDSA)</td></tr>
 * <tr><td>{@code keys/registry-token.jwk.json}, {@code registry-token.jwks.json}</td><td>EC P-256: the gateway signs
 *     registry tokens with the private JWK, the registry verifies with the public JWK set</td></tr>
 * <tr><td>{@code keys/keybroker-master-k1.key}</td><td>the key broker's master key (base64 of 32 bytes)</td></tr>
 * <tr><td>{@code keys/kata-node-registry.password}</td><td>the simulated Kata node's registry client
 *     ({@value #KATA_NODE_USER}, role {@code deployer}: pull)</td></tr>
 * <tr><td>{@code credentials.env}</td><td>{@code COCOPLANE_REGISTRY_USER}/{@code COCOPLANE_REGISTRY_PASSWORD}: a
 *     registry client of the gateway's token endpoint with role {@code admin} (pull, push, delete), and
 *     {@code COCOPLANE_GATEWAY}</td></tr>
 * </table>
 */
public final class DevCredentials {

    /** Lifetime of the development tokens. */
    public static final Duration TOKEN_LIFETIME = Duration.ofDays(90);
    /** A token closer than this to its expiry is re-minted by {@code up}. */
    public static final Duration RENEW_BEFORE = Duration.ofDays(7);
    /** {@code iss} of the gateway tokens and of {@code kbs-admin.jwt}. */
    public static final String TOKEN_ISSUER = "cocoplane-local";
    /** {@code iss} of {@code kbs-admin.jwt}. */
    public static final String KBS_ADMIN_ISSUER = "cocoplane-local";
    /** {@code iss} of the tokens the gateway mints: admin tokens for the key broker and registry tokens. */
    public static final String GATEWAY_ISSUER = "cocoplane-gateway";
    /** The registry client's user name. */
    public static final String REGISTRY_USER = "local-admin";
    /** The simulated Kata node's registry client (role {@code deployer}: pull only). */
    public static final String KATA_NODE_USER = "kata-node";
    /** The gateway roles that get a token. */
    public static final List<String> ROLES = List.of("admin", "deployer", "auditor");

    private static final int BCRYPT_COST = 10;

    private final StackPaths paths;
    private final String registryPassword;
    private final String registryPasswordHash;
    private final String kataNodePassword;
    private final String kataNodePasswordHash;
    private final String gatewayAdminJwk;
    private final String registryTokenJwk;
    private final List<String> generated;

    private DevCredentials(StackPaths paths, String registryPassword, String kataNodePassword,
                           String gatewayAdminJwk, String registryTokenJwk, List<String> generated,
                           SecureRandom random) {
        this.paths = paths;
        this.registryPassword = registryPassword;
        this.registryPasswordHash = bcrypt(registryPassword, random);
        this.kataNodePassword = kataNodePassword;
        this.kataNodePasswordHash = bcrypt(kataNodePassword, random);
        this.gatewayAdminJwk = gatewayAdminJwk;
        this.registryTokenJwk = registryTokenJwk;
        this.generated = List.copyOf(generated);
    }

    /**
     * Loads every credential, generating what is missing or unusable, and (re)writes {@code credentials.env}.
     *
     * @param paths      the stack's directories (created 0700 if needed)
     * @param gatewayUrl the gateway's base URL, written to {@code credentials.env} as {@code COCOPLANE_GATEWAY}
     * @param clock      clock for token times
     * @return the credentials
     * @throws java.io.UncheckedIOException when a file cannot be read or written
     */
    public static DevCredentials ensure(StackPaths paths, String gatewayUrl, Clock clock) {
        SecureFiles.directory(paths.keys());
        SecureFiles.directory(paths.tokens());
        List<String> generated = new ArrayList<>();
        SecureRandom random = new SecureRandom();

        KeyPair gatewayJwt = keyPair(paths.keys().resolve("gateway-jwt.key.pem"),
                paths.keys().resolve("gateway-jwt.pub.pem"), "RSA", generated);
        for (String role : ROLES) {
            Path file = paths.tokens().resolve(role + ".jwt");
            if (!usable(SecureFiles.readIfExists(file), gatewayJwt.getPublic(), clock)) {
                SecureFiles.writeSecret(file, mintRs256(gatewayJwt.getPrivate(), role, clock) + "\n");
                generated.add("tokens/" + role + ".jwt");
            }
        }

        KeyPair gatewayAdmin = keyPair(paths.keys().resolve("gateway-admin.key.pem"),
                paths.keys().resolve("gateway-admin.pub.pem"), "Ed25519", generated);
        KeyPair kbsAdmin = keyPair(paths.keys().resolve("kbs-admin.key.pem"),
                paths.keys().resolve("kbs-admin.pub.pem"), "Ed25519", generated);
        Path kbsToken = paths.tokens().resolve("kbs-admin.jwt");
        if (!usable(SecureFiles.readIfExists(kbsToken), kbsAdmin.getPublic(), clock)) {
            SecureFiles.writeSecret(kbsToken, mintEdDsa(kbsAdmin.getPrivate(), clock) + "\n");
            generated.add("tokens/kbs-admin.jwt");
        }

        ECKey registryKey = registryTokenKey(paths, generated);

        Path master = paths.keys().resolve("keybroker-master-k1.key");
        String existingMaster = SecureFiles.readIfExists(master);
        if (existingMaster == null || !isBase64Key(existingMaster.strip())) {
            byte[] k = new byte[32];
            random.nextBytes(k);
            SecureFiles.writeSecret(master, Base64.getEncoder().encodeToString(k) + "\n");
            generated.add("keys/keybroker-master-k1.key");
        }

        Map<String, String> env = readEnv(SecureFiles.readIfExists(paths.credentials()));
        String password = env.get("COCOPLANE_REGISTRY_PASSWORD");
        if (!isPassword(password)) {
            password = newPassword(random);
            generated.add("credentials.env");
        }
        Path kataFile = paths.keys().resolve("kata-node-registry.password");
        String stored = SecureFiles.readIfExists(kataFile);
        String kataPassword = stored == null ? null : stored.strip();
        if (!isPassword(kataPassword)) {
            kataPassword = newPassword(random);
            SecureFiles.writeSecret(kataFile, kataPassword + "\n");
            generated.add("keys/kata-node-registry.password");
        }
        SecureFiles.writeSecret(paths.credentials(), """
                # cocoplane local stack (DEVELOPMENT). Written by bin/cocoplane up; load with:
                #   set -a; . %s; set +a
                # A registry client of the gateway's token endpoint (GET /auth/token), role admin (pull, push, delete):
                #   skopeo copy --dest-creds "$COCOPLANE_REGISTRY_USER:$COCOPLANE_REGISTRY_PASSWORD" --dest-tls-verify=false ...
                COCOPLANE_REGISTRY_USER=%s
                COCOPLANE_REGISTRY_PASSWORD=%s
                COCOPLANE_GATEWAY=%s
                """.formatted(paths.credentials(), REGISTRY_USER, password, gatewayUrl));
        return new DevCredentials(paths, password, kataPassword, okpJwk(gatewayAdmin).toJSONString(),
                registryKey.toJSONString(), generated, random);
    }

    private static boolean isPassword(String p) {
        return p != null && p.length() >= 16 && p.length() <= 256 && p.matches("[A-Za-z0-9_-]+");
    }

    private static String newPassword(SecureRandom random) {
        byte[] p = new byte[24];
        random.nextBytes(p);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(p);
    }

    private static String bcrypt(String password, SecureRandom random) {
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        return OpenBSDBCrypt.generate("2b", password.toCharArray(), salt, BCRYPT_COST);
    }

    /** @return files generated by the last {@link #ensure}, relative to the stack directory; empty when all were reused */
    public List<String> generated() {
        return generated;
    }

    /** @return PEM file of the RSA key that verifies the gateway tokens */
    public Path gatewayJwtPublicKey() {
        return paths.keys().resolve("gateway-jwt.pub.pem");
    }

    /** @return the gateway's Ed25519 admin key as an OKP private JWK (JSON) */
    public String gatewayAdminPrivateJwk() {
        return gatewayAdminJwk;
    }

    /** @return PEM file of the gateway's admin public key (trusted by the key broker and the attestation service) */
    public Path gatewayAdminPublicKey() {
        return paths.keys().resolve("gateway-admin.pub.pem");
    }

    /** @return PEM file of the public key that verifies {@code tokens/kbs-admin.jwt} */
    public Path kbsAdminPublicKey() {
        return paths.keys().resolve("kbs-admin.pub.pem");
    }

    /** @return the registry-token signing key, an EC P-256 private JWK (JSON) */
    public String registryTokenPrivateJwk() {
        return registryTokenJwk;
    }

    /** @return the registry-token public JWK set file */
    public Path registryTokenJwks() {
        return paths.keys().resolve("registry-token.jwks.json");
    }

    /** @return the key broker's master key file */
    public Path keybrokerMasterKey() {
        return paths.keys().resolve("keybroker-master-k1.key");
    }

    /** @return the registry client's user name */
    public String registryUser() {
        return REGISTRY_USER;
    }

    /** @return the registry client's password */
    public String registryPassword() {
        return registryPassword;
    }

    /** @return bcrypt ({@code $2b$10$…}) of the registry client's password, fresh salt per {@link #ensure} */
    public String registryPasswordHash() {
        return registryPasswordHash;
    }

    /** @return the simulated Kata node's registry password */
    public String kataNodePassword() {
        return kataNodePassword;
    }

    /** @return bcrypt of the simulated Kata node's registry password */
    public String kataNodePasswordHash() {
        return kataNodePasswordHash;
    }

    /**
     * @param name {@code admin}, {@code deployer}, {@code auditor} or {@code kbs-admin}
     * @return the token file
     */
    public Path token(String name) {
        return paths.tokens().resolve(name + ".jwt");
    }

    private static KeyPair keyPair(Path privateFile, Path publicFile, String algorithm, List<String> generated) {
        String priv = SecureFiles.readIfExists(privateFile);
        String pub = SecureFiles.readIfExists(publicFile);
        if (priv != null && pub != null) {
            try {
                KeyFactory f = KeyFactory.getInstance(algorithm);
                return new KeyPair(f.generatePublic(new X509EncodedKeySpec(pem(pub, "PUBLIC KEY"))),
                        f.generatePrivate(new PKCS8EncodedKeySpec(pem(priv, "PRIVATE KEY"))));
            } catch (GeneralSecurityException | IllegalArgumentException e) {
                // unusable: replaced below
            }
        }
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(algorithm);
            if ("RSA".equals(algorithm)) {
                g.initialize(2048);
            }
            KeyPair pair = g.generateKeyPair();
            SecureFiles.writeSecret(privateFile, toPem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            SecureFiles.writePublic(publicFile, toPem("PUBLIC KEY", pair.getPublic().getEncoded()));
            generated.add("keys/" + privateFile.getFileName());
            return pair;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(algorithm + " key generation failed", e);
        }
    }

    private static ECKey registryTokenKey(StackPaths paths, List<String> generated) {
        Path file = paths.keys().resolve("registry-token.jwk.json");
        ECKey key = null;
        String text = SecureFiles.readIfExists(file);
        if (text != null) {
            try {
                ECKey k = ECKey.parse(text.strip());
                key = Curve.P_256.equals(k.getCurve()) && k.isPrivate() ? k : null;
            } catch (ParseException e) {
                key = null;
            }
        }
        if (key == null) {
            try {
                KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
                g.initialize(new ECGenParameterSpec("secp256r1"));
                KeyPair pair = g.generateKeyPair();
                ECKey k = new ECKey.Builder(Curve.P_256, (java.security.interfaces.ECPublicKey) pair.getPublic())
                        .privateKey((java.security.interfaces.ECPrivateKey) pair.getPrivate()).build();
                key = new ECKey.Builder(k).keyIDFromThumbprint().keyUse(KeyUse.SIGNATURE)
                        .algorithm(JWSAlgorithm.ES256).build();
            } catch (GeneralSecurityException | JOSEException e) {
                throw new IllegalStateException("P-256 key generation failed", e);
            }
            SecureFiles.writeSecret(file, key.toJSONString() + "\n");
            generated.add("keys/registry-token.jwk.json");
        }
        SecureFiles.writePublic(paths.keys().resolve("registry-token.jwks.json"),
                new JWKSet(key.toPublicJWK()).toString(true) + "\n");
        return key;
    }

    private static OctetKeyPair okpJwk(KeyPair ed25519) {
        byte[] spki = ed25519.getPublic().getEncoded();
        byte[] x = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
        byte[] d = ((EdECPrivateKey) ed25519.getPrivate()).getBytes()
                .orElseThrow(() -> new IllegalStateException("Ed25519 private key without its bytes"));
        return new OctetKeyPair.Builder(Curve.Ed25519, Base64URL.encode(x)).d(Base64URL.encode(d)).build();
    }

    private static String mintRs256(PrivateKey key, String role, Clock clock) {
        Instant now = clock.instant();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).type(JOSEObjectType.JWT).build(),
                new JWTClaimsSet.Builder()
                        .issuer(TOKEN_ISSUER)
                        .subject("local-" + role)
                        .claim("roles", List.of(role))
                        .issueTime(Date.from(now))
                        .notBeforeTime(Date.from(now))
                        .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                        .jwtID(UUID.randomUUID().toString())
                        .build());
        try {
            jwt.sign(new RSASSASigner((RSAPrivateKey) key));
        } catch (JOSEException e) {
            throw new IllegalStateException("RS256 signing failed", e);
        }
        return jwt.serialize();
    }

    private static String mintEdDsa(PrivateKey key, Clock clock) {
        Instant now = clock.instant();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.EdDSA).type(JOSEObjectType.JWT).build();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(KBS_ADMIN_ISSUER)
                .subject("local-kbs-admin")
                .claim("role", "admin")
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(TOKEN_LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        Base64URL h = header.toBase64URL();
        Base64URL p = claims.toPayload().toBase64URL();
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(key);
            s.update((h + "." + p).getBytes(StandardCharsets.US_ASCII));
            return h + "." + p + "." + Base64URL.encode(s.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Ed25519 signing failed", e);
        }
    }

    /** A token is reused when it verifies under {@code key} and expires later than {@link #RENEW_BEFORE} from now. */
    static boolean usable(String token, PublicKey key, Clock clock) {
        if (token == null || token.isBlank()) {
            return false;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token.strip());
            boolean verified;
            if (key instanceof RSAPublicKey rsa) {
                verified = JWSAlgorithm.RS256.equals(jwt.getHeader().getAlgorithm())
                        && jwt.verify(new RSASSAVerifier(rsa));
            } else {
                Signature s = Signature.getInstance("Ed25519");
                s.initVerify(key);
                s.update(jwt.getSigningInput());
                verified = JWSAlgorithm.EdDSA.equals(jwt.getHeader().getAlgorithm())
                        && s.verify(jwt.getSignature().decode());
            }
            Date exp = jwt.getJWTClaimsSet().getExpirationTime();
            return verified && exp != null && exp.toInstant().isAfter(clock.instant().plus(RENEW_BEFORE));
        } catch (ParseException | JOSEException | GeneralSecurityException | IllegalStateException e) {
            return false;
        }
    }

    private static boolean isBase64Key(String s) {
        try {
            return Base64.getDecoder().decode(s).length == 32;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * @param text {@code KEY=VALUE} lines; {@code #} comments and blank lines ignored
     * @return the pairs in file order (empty for null)
     */
    static Map<String, String> readEnv(String text) {
        Map<String, String> m = new LinkedHashMap<>();
        if (text == null) {
            return m;
        }
        for (String line : text.split("\n")) {
            String l = line.strip();
            int eq = l.indexOf('=');
            if (l.isEmpty() || l.startsWith("#") || eq < 1) {
                continue;
            }
            m.put(l.substring(0, eq).strip(), l.substring(eq + 1).strip());
        }
        return m;
    }

    private static String toPem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    private static byte[] pem(String text, String type) {
        String b64 = text.replace("-----BEGIN " + type + "-----", "").replace("-----END " + type + "-----", "")
                .replaceAll("\\s", "");
        return Base64.getDecoder().decode(b64);
    }
}
