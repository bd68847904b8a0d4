package io.cocoplane.fuzz;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

/**
 * Fixed key material of the fuzz targets, so that committed seeds (JWE responses, ocicrypt wrappings) stay
 * decryptable across runs and the fuzzer can reach the code behind a successful unwrap. Test keys only: they protect
 * nothing and are public in this repository.
 */
final class FixedKeys {

    /** An EC P-256 key pair (PKCS#8 / X.509 DER, base64), generated once for the fuzz corpus. */
    private static final String P256_PKCS8 = "MEECAQAwEwYHKoZIzj0CAQYIKoZIzj0DAQcEJzAlAgEBBCCwm4FXdICtyC7vswhQ8qBzaYLhttqzcA"
            + "+zmdV74kvETg==";
    private static final String P256_SPKI = "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEd6le0wqdGDfOs41trRDFzcZH2FBvetRLGM1JSIvmmr"
            + "Z8VgS60ZZFE7H93lfTLA9Esn/yUzAQAIiTPTXzTmasbw==";

    /** The 32-byte KEK the ocicrypt targets' key resolver returns for {@link #KID}. */
    static final byte[] KEK = CorpusSeeds.filled(32, 0x4b);
    /** The CoCo key-provider {@code kid} the ocicrypt targets can resolve. */
    static final String KID = "kbs:///default/image-kek/fuzz";

    private FixedKeys() {
    }

    /** @return the fixed EC P-256 key pair */
    static KeyPair p256() {
        try {
            KeyFactory f = KeyFactory.getInstance("EC");
            return new KeyPair(f.generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(P256_SPKI))),
                    f.generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(P256_PKCS8))));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("fixed test key does not load", e);
        }
    }
}
