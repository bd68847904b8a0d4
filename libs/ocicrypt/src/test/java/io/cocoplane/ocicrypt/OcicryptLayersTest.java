package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OcicryptLayersTest {

    private static final String KID = "kbs:///default/image-kek/layers-test";
    private static final byte[] KEK = TestKeys.random(32);
    private static final byte[] PLAIN = TestKeys.random(70_001);
    private static byte[] ciphertext;
    private static Map<String, String> annotations;
    private static LayerEncryptionResult result;

    @BeforeAll
    static void encrypt() throws Exception {
        ByteArrayOutputStream ct = new ByteArrayOutputStream();
        try (EncryptingLayerStream s = LayerCipher.encrypt(new ByteArrayInputStream(PLAIN))) {
            s.transferTo(ct);
            result = s.result();
        }
        ciphertext = ct.toByteArray();
        annotations = OcicryptLayers.annotations(result,
                List.of(JweRecipient.of(TestKeys.RSA.getPublic()), JweRecipient.of(TestKeys.EC.getPublic())),
                new CocoRecipient(KID, KEK));
    }

    private static byte[] decrypt(DecryptionKeys keys) throws Exception {
        try (InputStream in = OcicryptLayers.decrypt(new ByteArrayInputStream(ciphertext), annotations,
                ciphertext.length, keys)) {
            return in.readAllBytes();
        }
    }

    @Test
    void annotationsAreTheOcicryptSet() {
        assertThat(annotations.keySet()).containsExactly("org.opencontainers.image.enc.keys.jwe",
                "org.opencontainers.image.enc.keys.provider.attestation-agent",
                "org.opencontainers.image.enc.pubopts");
    }

    @Test
    void everyRecipientOpensTheLayer() throws Exception {
        assertThat(decrypt(DecryptionKeys.of(TestKeys.RSA.getPrivate()))).isEqualTo(PLAIN);
        assertThat(decrypt(DecryptionKeys.of(TestKeys.EC.getPrivate()))).isEqualTo(PLAIN);
        assertThat(decrypt(DecryptionKeys.of(kid -> KID.equals(kid) ? Optional.of(KEK) : Optional.empty())))
                .isEqualTo(PLAIN);
    }

    @Test
    void allWrappingsCarryTheSamePrivateOptions() throws Exception {
        PrivateOptions viaRsa = OcicryptLayers.unwrapPrivateOptions(annotations,
                DecryptionKeys.of(TestKeys.RSA.getPrivate()));
        PrivateOptions viaKek = OcicryptLayers.unwrapPrivateOptions(annotations, DecryptionKeys.of(kid -> Optional.of(KEK)));
        assertThat(viaRsa).isEqualTo(result.privateOptions());
        assertThat(viaKek).isEqualTo(result.privateOptions());
    }

    @Test
    void wrongKeysGiveATypedUnwrapErrorBeforeAnyByteIsRead() {
        DecryptionKeys wrong = new DecryptionKeys(List.of(TestKeys.RSA_OTHER.getPrivate(),
                TestKeys.EC_OTHER.getPrivate()), kid -> Optional.of(TestKeys.random(32)));
        assertThatThrownBy(() -> decrypt(wrong)).isExactlyInstanceOf(KeyUnwrapException.class)
                .hasMessageContaining("no suitable key unwrapper");
        assertThatThrownBy(() -> decrypt(DecryptionKeys.of(kid -> Optional.empty())))
                .isExactlyInstanceOf(KeyUnwrapException.class);
    }

    @Test
    void tamperedLayerIsAnHmacError() {
        byte[] bad = ciphertext.clone();
        bad[bad.length / 2] ^= 0x40;
        assertThatThrownBy(() -> {
            try (InputStream in = OcicryptLayers.decrypt(new ByteArrayInputStream(bad), annotations, bad.length,
                    DecryptionKeys.of(TestKeys.EC.getPrivate()))) {
                in.readAllBytes();
            }
        }).isExactlyInstanceOf(LayerIntegrityException.class);
    }

    @Test
    void opaqueAnnotationOfAnotherProviderIsSkipped() throws Exception {
        Map<String, String> withOpaque = new java.util.LinkedHashMap<>();
        withOpaque.put("org.opencontainers.image.enc.keys.provider.other-kms", "bm90IGEgY29jbyBwYWNrZXQ=");
        withOpaque.putAll(annotations);
        assertThat(OcicryptLayers.unwrapPrivateOptions(withOpaque, DecryptionKeys.of(kid -> Optional.of(KEK))))
                .isEqualTo(result.privateOptions());
    }

    @Test
    void rewrapFromJweToCocoKeepsTheBlobAndPublicOptions() throws Exception {
        Map<String, String> withTitle = new java.util.LinkedHashMap<>(annotations);
        withTitle.put("org.opencontainers.image.title", "t");
        byte[] newKek = TestKeys.random(32);
        String newKid = "kbs:///default/image-kek/rewrapped";
        Map<String, String> rewrapped = OcicryptLayers.rewrap(withTitle, DecryptionKeys.of(TestKeys.EC.getPrivate()),
                List.of(), new CocoRecipient(newKid, newKek));
        assertThat(rewrapped.keySet()).containsExactly("org.opencontainers.image.title",
                KeyProviderPacket.ANNOTATION, OcicryptLayers.PUBOPTS);
        assertThat(rewrapped.get(OcicryptLayers.PUBOPTS)).isEqualTo(annotations.get(OcicryptLayers.PUBOPTS));
        try (InputStream in = OcicryptLayers.decrypt(new ByteArrayInputStream(ciphertext), rewrapped,
                ciphertext.length, DecryptionKeys.of(k -> newKid.equals(k) ? Optional.of(newKek) : Optional.empty()))) {
            assertThat(in.readAllBytes()).isEqualTo(PLAIN);
        }
        // the old RSA recipient is gone
        assertThatThrownBy(() -> OcicryptLayers.unwrapPrivateOptions(rewrapped,
                DecryptionKeys.of(TestKeys.RSA.getPrivate()))).isInstanceOf(KeyUnwrapException.class);
    }

    @Test
    void missingPublicOptionsIsMalformed() {
        Map<String, String> noPub = new java.util.HashMap<>(annotations);
        noPub.remove(OcicryptLayers.PUBOPTS);
        assertThatThrownBy(() -> OcicryptLayers.decrypt(new ByteArrayInputStream(ciphertext), noPub, -1,
                DecryptionKeys.of(TestKeys.RSA.getPrivate()))).isInstanceOf(MalformedAnnotationException.class);
    }

    @Test
    void decryptedAnnotationsDropOnlyEncEntries() {
        Map<String, String> withOther = new java.util.LinkedHashMap<>(annotations);
        withOther.put("org.opencontainers.image.title", "layer.tar.gz");
        assertThat(OcicryptLayers.decryptedAnnotations(withOther))
                .containsExactlyEntriesOf(Map.of("org.opencontainers.image.title", "layer.tar.gz"));
    }

    @Test
    void noRecipientIsRefused() {
        assertThatThrownBy(() -> OcicryptLayers.annotations(result, List.of(), null))
                .isInstanceOf(MalformedAnnotationException.class);
    }
}
