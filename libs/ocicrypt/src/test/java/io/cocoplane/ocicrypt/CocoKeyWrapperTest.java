package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

import org.bouncycastle.crypto.engines.AESEngine;
import org.bouncycastle.crypto.modes.GCMBlockCipher;
import org.bouncycastle.crypto.params.AEADParameters;
import org.bouncycastle.crypto.params.KeyParameter;
import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class CocoKeyWrapperTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KID = "kbs:///default/image-kek/test-layer";
    private static final byte[] PAYLOAD = "{\"symkey\":\"k\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void wrapProducesTheCocoPacketFormat() throws Exception {
        byte[] kek = TestKeys.random(32);
        KeyProviderPacket p = CocoKeyWrapper.wrap(PAYLOAD, KID, kek);
        JsonNode json = JSON.readTree(Base64.getDecoder().decode(p.toAnnotationValue()));
        assertThat(json.properties().stream().map(java.util.Map.Entry::getKey).toList())
                .containsExactly("kid", "wrapped_data", "iv", "wrap_type");
        assertThat(json.get("kid").stringValue()).isEqualTo(KID);
        assertThat(json.get("wrap_type").stringValue()).isEqualTo("A256GCM");
        byte[] iv = Base64.getDecoder().decode(json.get("iv").stringValue());
        byte[] wrapped = Base64.getDecoder().decode(json.get("wrapped_data").stringValue());
        assertThat(iv).hasSize(12);
        assertThat(wrapped).hasSize(PAYLOAD.length + 16);

        // Independent AES-GCM (BouncyCastle low-level engine, no AAD, 128-bit tag appended).
        GCMBlockCipher gcm = (GCMBlockCipher) GCMBlockCipher.newInstance(AESEngine.newInstance());
        gcm.init(false, new AEADParameters(new KeyParameter(kek), 128, iv));
        byte[] out = new byte[gcm.getOutputSize(wrapped.length)];
        int n = gcm.processBytes(wrapped, 0, wrapped.length, out, 0);
        n += gcm.doFinal(out, n);
        assertThat(java.util.Arrays.copyOf(out, n)).isEqualTo(PAYLOAD);
    }

    @Test
    void roundTripThroughTheAnnotationWithAResolver() throws Exception {
        byte[] kek = TestKeys.random(32);
        String ann = CocoKeyWrapper.wrap(PAYLOAD, KID, kek).toAnnotationValue();
        KeyProviderPacket parsed = KeyProviderPacket.parseAnnotation(ann);
        assertThat(parsed.kid()).isEqualTo(KID);
        assertThat(parsed.provider()).isEqualTo("kbs");
        assertThat(parsed.kbsResourceUri().resourcePath()).isEqualTo("default/image-kek/test-layer");
        KeyResolver resolver = kid -> KID.equals(kid) ? Optional.of(kek) : Optional.empty();
        assertThat(CocoKeyWrapper.unwrap(parsed, resolver)).isEqualTo(PAYLOAD);
        // the resolver's array is not wiped: a second unwrap with the same resolver works
        assertThat(CocoKeyWrapper.unwrap(parsed, resolver)).isEqualTo(PAYLOAD);
    }

    @Test
    void wrongKekIsATypedUnwrapError() throws Exception {
        KeyProviderPacket p = CocoKeyWrapper.wrap(PAYLOAD, KID, TestKeys.random(32));
        byte[] other = TestKeys.random(32);
        assertThatThrownBy(() -> CocoKeyWrapper.unwrap(p, kid -> Optional.of(other)))
                .isExactlyInstanceOf(KeyUnwrapException.class).hasMessageContaining(KID);
    }

    @Test
    void unknownKidIsATypedUnwrapError() throws Exception {
        KeyProviderPacket p = CocoKeyWrapper.wrap(PAYLOAD, KID, TestKeys.random(32));
        assertThatThrownBy(() -> CocoKeyWrapper.unwrap(p, kid -> Optional.empty()))
                .isExactlyInstanceOf(KeyUnwrapException.class).hasMessageContaining("no KEK");
    }

    @Test
    void tamperedWrappedDataIsATypedUnwrapError() throws Exception {
        byte[] kek = TestKeys.random(32);
        KeyProviderPacket p = CocoKeyWrapper.wrap(PAYLOAD, KID, kek);
        byte[] w = p.wrappedData();
        w[0] ^= 1;
        KeyProviderPacket bad = new KeyProviderPacket(p.kid(), w, p.iv(), p.wrapType(), null, null);
        assertThatThrownBy(() -> CocoKeyWrapper.unwrap(bad, kid -> Optional.of(kek)))
                .isExactlyInstanceOf(KeyUnwrapException.class);
    }

    @Test
    void kekMustBe32Bytes() {
        assertThatThrownBy(() -> CocoKeyWrapper.wrap(PAYLOAD, KID, new byte[16]))
                .isInstanceOf(MalformedAnnotationException.class);
    }

    @Test
    void v2PacketWithOtherProviderParsesButIsNotUnwrappedHere() throws Exception {
        String v2 = "{\"version\":\"0.1.0\",\"provider\":\"aliyun\",\"kid\":\"kms-key-1\",\"wrapped_data\":\"AAEC\","
                + "\"provider_settings\":{\"region\":\"x\"},\"annotations\":{\"iv\":\"y\"}}";
        KeyProviderPacket p = KeyProviderPacket.parse(v2.getBytes(StandardCharsets.UTF_8));
        assertThat(p.version()).isEqualTo("0.1.0");
        assertThat(p.provider()).isEqualTo("aliyun");
        assertThat(p.iv()).isNull();
        assertThat(p.kbsResourceUri()).isNull();
        assertThatThrownBy(() -> CocoKeyWrapper.unwrap(p, kid -> Optional.of(new byte[32])))
                .isExactlyInstanceOf(KeyUnwrapException.class).hasMessageContaining("aliyun");
    }

    @Test
    void malformedPacketsAreTyped() {
        String[] bad = {"", "%%%", b64("[]"), b64("{\"kid\":\"a\"}"),
            b64("{\"kid\":\"a\",\"wrapped_data\":\"AAAA\",\"wrap_type\":\"A256GCM\"}"),
            b64("{\"kid\":\"a\",\"wrapped_data\":\"AAAA\",\"iv\":\"AAAA\",\"wrap_type\":\"A256GCM\"}"),
            b64("{\"kid\":\"\",\"wrapped_data\":\"AAAA\",\"iv\":\"AAAAAAAAAAAAAAAA\",\"wrap_type\":\"A256GCM\"}"),
            b64("{\"kid\":\"a\\n\",\"wrapped_data\":\"AAAA\",\"iv\":\"AAAAAAAAAAAAAAAA\",\"wrap_type\":\"A256GCM\"}"),
            b64("{\"kid\":\"a\",\"wrapped_data\":\"\",\"iv\":\"AAAAAAAAAAAAAAAA\",\"wrap_type\":\"A256GCM\"}"),
            b64("{\"kid\":\"a\",\"wrapped_data\":[1,2],\"iv\":\"AAAAAAAAAAAAAAAA\",\"wrap_type\":\"A256GCM\"}"),
            b64("{\"kid\":\"a\",\"wrapped_data\":\"AA\",\"iv\":\"AAAAAAAAAAAAAAAA\",\"wrap_type\":\"A256GCM\","
                    + "\"annotations\":[]}"),
            // non-kbs provider naming A256GCM without an iv (a fuzzing find: must be typed, not an NPE)
            b64("{\"provider\":\"kms\",\"kid\":\"a\",\"wrapped_data\":\"AQ\",\"wrap_type\":\"A256GCM\"}"),
            "A".repeat(KeyProviderPacket.MAX_ANNOTATION_CHARS + 1)};
        for (String s : bad) {
            assertThatThrownBy(() -> KeyProviderPacket.parseAnnotation(s)).as(s)
                    .isInstanceOf(MalformedAnnotationException.class);
        }
    }

    @Test
    void kbsResourceUriForms() {
        assertThat(KbsResourceUri.parse("kbs:///default/image-kek/x"))
                .contains(new KbsResourceUri("kbs", "", "default", "image-kek", "x"));
        assertThat(KbsResourceUri.parse("kbs://kbs.example:8080/repo/key/tag1"))
                .contains(new KbsResourceUri("kbs", "kbs.example:8080", "repo", "key", "tag1"));
        assertThat(KbsResourceUri.parse("kbs+aliyun:///a/b/c")).map(KbsResourceUri::scheme).contains("kbs+aliyun");
        assertThat(KbsResourceUri.parse("/a/b/c")).map(KbsResourceUri::resourcePath).contains("a/b/c");
        assertThat(KbsResourceUri.parse("kbs.local/a/b/c")).map(KbsResourceUri::kbsAddress).contains("kbs.local");
        assertThat(KbsResourceUri.parse("kbs:///a/b")).isEmpty();
        assertThat(KbsResourceUri.parse("kbs:///a/b/c/d")).isEmpty();
        assertThat(KbsResourceUri.parse("https:///a/b/c")).isEmpty();
        assertThat(KbsResourceUri.parse("kbs:///a/../c")).isEmpty();
        assertThat(KbsResourceUri.parse(null)).isEmpty();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
