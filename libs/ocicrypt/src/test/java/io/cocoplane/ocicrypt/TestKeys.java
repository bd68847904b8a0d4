package io.cocoplane.ocicrypt;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;

/** Key pairs generated for the always-run tests (never from shared/testdata). */
final class TestKeys {

    static final KeyPair RSA = generate("RSA", 2048);
    static final KeyPair RSA_OTHER = generate("RSA", 2048);
    static final KeyPair EC = generateEc();
    static final KeyPair EC_OTHER = generateEc();

    private TestKeys() {
    }

    static KeyPair generate(String alg, int bits) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance(alg);
            g.initialize(bits);
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static KeyPair generateEc() {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
            g.initialize(new ECGenParameterSpec("secp256r1"));
            return g.generateKeyPair();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new SecureRandom().nextBytes(b);
        return b;
    }
}
