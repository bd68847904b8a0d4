package io.cocoplane.ocicrypt;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;

import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMException;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JceOpenSSLPKCS8DecryptorProviderBuilder;
import org.bouncycastle.openssl.jcajce.JcePEMDecryptorProviderBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.pkcs.PKCSException;

/**
 * Parses the key files ocicrypt accepts for its JWE scheme ({@code utils/utils.go}, registry note §3.4), using
 * BouncyCastle's PEM parser and converting to JDK key objects. Only RSA and EC keys are returned.
 *
 * <ul>
 * <li>Private keys: PEM {@code PRIVATE KEY} (PKCS#8), {@code RSA PRIVATE KEY} (PKCS#1), {@code EC PRIVATE KEY}
 * (SEC1, RFC 5915), {@code ENCRYPTED PRIVATE KEY} (PKCS#8 PBES2) and legacy OpenSSL-encrypted PKCS#1/SEC1 PEM
 * ({@code Proc-Type: 4,ENCRYPTED}), or the same as DER (unencrypted PKCS#8 only).</li>
 * <li>Public keys: PEM {@code PUBLIC KEY} (SPKI / PKIX) or SPKI DER.</li>
 * </ul>
 */
public final class KeyMaterial {

    /** Largest key file accepted, in bytes. */
    public static final int MAX_KEY_BYTES = 64 * 1024;

    private static final JcaPEMKeyConverter CONVERTER = new JcaPEMKeyConverter();
    /** BouncyCastle provider instance used only for PEM decryption (not registered globally). */
    private static final BouncyCastleProvider BC = new BouncyCastleProvider();

    private KeyMaterial() {
    }

    /**
     * Parses an unencrypted private key.
     *
     * @param keyFile PEM or DER bytes, at most {@link #MAX_KEY_BYTES}
     * @return an {@link RSAPrivateKey} or {@link ECPrivateKey}
     * @throws KeyParseException on unknown format, corrupt encoding, an encrypted key, a non-RSA/EC algorithm or
     *                           oversize input
     */
    public static PrivateKey parsePrivateKey(byte[] keyFile) throws KeyParseException {
        return parsePrivateKey(keyFile, null);
    }

    /**
     * Parses a private key, decrypting it with {@code password} when it is encrypted.
     *
     * @param keyFile  PEM or DER bytes, at most {@link #MAX_KEY_BYTES}
     * @param password password of an encrypted PEM key, or null
     * @return an {@link RSAPrivateKey} or {@link ECPrivateKey}
     * @throws KeyParseException on unknown format, corrupt encoding, missing or wrong password, non-RSA/EC algorithm or
     *                           oversize input
     */
    public static PrivateKey parsePrivateKey(byte[] keyFile, char[] password) throws KeyParseException {
        checkSize(keyFile);
        PrivateKey key;
        if (isPem(keyFile)) {
            Object obj = readPem(keyFile);
            try {
                if (obj instanceof PrivateKeyInfo info) {
                    key = CONVERTER.getPrivateKey(info);
                } else if (obj instanceof PEMKeyPair pair) {
                    // SEC1 / PKCS#1: the public part may be absent from SEC1, so convert the private part alone.
                    key = CONVERTER.getPrivateKey(pair.getPrivateKeyInfo());
                } else if (obj instanceof PKCS8EncryptedPrivateKeyInfo enc) {
                    requirePassword(password);
                    key = CONVERTER.getPrivateKey(enc.decryptPrivateKeyInfo(
                            new JceOpenSSLPKCS8DecryptorProviderBuilder().setProvider(BC).build(password)));
                } else if (obj instanceof PEMEncryptedKeyPair enc) {
                    requirePassword(password);
                    key = CONVERTER.getPrivateKey(enc.decryptKeyPair(
                            new JcePEMDecryptorProviderBuilder().setProvider(BC).build(password)).getPrivateKeyInfo());
                } else {
                    throw new KeyParseException("PEM does not hold a private key"
                            + (obj == null ? "" : " (found " + obj.getClass().getSimpleName() + ")"));
                }
            } catch (PEMException | PKCSException | OperatorCreationException e) {
                throw new KeyParseException("cannot decode or decrypt the private key: " + e.getMessage(), e);
            } catch (IOException | RuntimeException e) {
                throw new KeyParseException("cannot decode the private key", e);
            }
        } else {
            key = derPrivate(keyFile);
        }
        if (!(key instanceof RSAPrivateKey) && !(key instanceof ECPrivateKey)) {
            throw new KeyParseException("unsupported private key algorithm " + key.getAlgorithm() + " (RSA or EC only)");
        }
        return key;
    }

    /**
     * Parses an SPKI public key.
     *
     * @param keyFile PEM {@code PUBLIC KEY} or SPKI DER bytes, at most {@link #MAX_KEY_BYTES}
     * @return an {@link RSAPublicKey} or {@link ECPublicKey}
     * @throws KeyParseException on unknown format, corrupt encoding, non-RSA/EC algorithm or oversize input
     */
    public static PublicKey parsePublicKey(byte[] keyFile) throws KeyParseException {
        checkSize(keyFile);
        PublicKey key;
        try {
            if (isPem(keyFile)) {
                Object obj = readPem(keyFile);
                if (!(obj instanceof SubjectPublicKeyInfo spki)) {
                    throw new KeyParseException("PEM does not hold a PUBLIC KEY (SPKI)");
                }
                key = CONVERTER.getPublicKey(spki);
            } else {
                key = derPublic(keyFile);
            }
        } catch (PEMException | RuntimeException e) {
            throw new KeyParseException("cannot decode the public key", e);
        }
        if (!(key instanceof RSAPublicKey) && !(key instanceof ECPublicKey)) {
            throw new KeyParseException("unsupported public key algorithm " + key.getAlgorithm() + " (RSA or EC only)");
        }
        return key;
    }

    private static void checkSize(byte[] keyFile) throws KeyParseException {
        if (keyFile == null || keyFile.length == 0 || keyFile.length > MAX_KEY_BYTES) {
            throw new KeyParseException("key input missing, empty or larger than " + MAX_KEY_BYTES + " bytes");
        }
    }

    private static void requirePassword(char[] password) throws KeyParseException {
        if (password == null) {
            throw new KeyParseException("the private key is encrypted and no password was given");
        }
    }

    private static boolean isPem(byte[] data) {
        return new String(data, 0, Math.min(data.length, 4096), StandardCharsets.US_ASCII).contains("-----BEGIN ");
    }

    private static Object readPem(byte[] data) throws KeyParseException {
        try (Reader r = new InputStreamReader(new ByteArrayInputStream(data), StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(r)) {
            return parser.readObject();
        } catch (IOException | RuntimeException e) {
            throw new KeyParseException("malformed PEM", e);
        }
    }

    private static PrivateKey derPrivate(byte[] der) throws KeyParseException {
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new KeyParseException("DER input is not a PKCS#8 RSA or EC private key");
    }

    private static PublicKey derPublic(byte[] der) throws KeyParseException {
        for (String alg : new String[] {"RSA", "EC"}) {
            try {
                return KeyFactory.getInstance(alg).generatePublic(new X509EncodedKeySpec(der));
            } catch (java.security.GeneralSecurityException | RuntimeException e) {
                // try the next algorithm
            }
        }
        throw new KeyParseException("DER input is not an SPKI RSA or EC public key");
    }
}
