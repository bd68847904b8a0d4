package io.cocoplane.ocicrypt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

class OptionsTest {

    private static final byte[] KEY = new byte[32];
    private static final byte[] NONCE = new byte[16];

    static {
        for (int i = 0; i < 32; i++) {
            KEY[i] = (byte) i;
        }
        for (int i = 0; i < 16; i++) {
            NONCE[i] = (byte) (0xf0 + i);
        }
    }

    @Test
    void privateOptionsSerialiseLikeGoEncodingJson() throws Exception {
        String digest = "sha256:" + "ab".repeat(32);
        PrivateOptions p = new PrivateOptions(KEY, digest, NONCE);
        // Expected text written by hand from the Go struct tags (registry note §3.3); base64 computed by the JDK encoder.
        String expected = "{\"symkey\":\"" + Base64.getEncoder().encodeToString(KEY) + "\",\"digest\":\"" + digest
                + "\",\"cipheroptions\":{\"nonce\":\"" + Base64.getEncoder().encodeToString(NONCE) + "\"}}";
        assertThat(new String(p.toJson(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(PrivateOptions.parse(expected.getBytes(StandardCharsets.UTF_8))).isEqualTo(p);
    }

    @Test
    void publicOptionsSerialiseLikeGoEncodingJson() throws Exception {
        byte[] hmac = new byte[32];
        hmac[0] = 7;
        PublicOptions p = new PublicOptions(PublicOptions.AES_256_CTR_HMAC_SHA256, hmac);
        String expected = "{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\""
                + Base64.getEncoder().encodeToString(hmac) + "\",\"cipheroptions\":{}}";
        assertThat(new String(p.toJson(), StandardCharsets.UTF_8)).isEqualTo(expected);
        assertThat(PublicOptions.parseAnnotation(Base64.getEncoder().encodeToString(expected.getBytes())))
                .isEqualTo(p);
    }

    @Test
    void privateOptionsToStringDoesNotLeakTheKey() throws Exception {
        PrivateOptions p = new PrivateOptions(KEY, "", NONCE);
        assertThat(p.toString()).doesNotContain(Base64.getEncoder().encodeToString(KEY)).contains("redacted");
    }

    @Test
    void malformedPrivateOptionsAreTyped() {
        String[] bad = {
            "", "[]", "{", "{\"symkey\":1}",
            "{\"symkey\":\"AAAA\",\"digest\":\"\",\"cipheroptions\":{\"nonce\":\"" + b64(16) + "\"}}",
            "{\"symkey\":\"" + b64(32) + "\",\"digest\":\"\",\"cipheroptions\":{\"nonce\":\"" + b64(12) + "\"}}",
            "{\"symkey\":\"" + b64(32) + "\",\"digest\":\"md5:00\",\"cipheroptions\":{\"nonce\":\"" + b64(16) + "\"}}",
            "{\"symkey\":\"" + b64(32) + "\",\"digest\":\"\"}",
            "{\"symkey\":\"!!\",\"digest\":\"\",\"cipheroptions\":{\"nonce\":\"" + b64(16) + "\"}}",
            "{\"symkey\":\"" + b64(32) + "\",\"symkey\":\"" + b64(32) + "\",\"cipheroptions\":{\"nonce\":\""
                    + b64(16) + "\"}}",
        };
        for (String s : bad) {
            assertThatThrownBy(() -> PrivateOptions.parse(s.getBytes(StandardCharsets.UTF_8)))
                    .as(s).isInstanceOf(MalformedAnnotationException.class);
        }
        assertThatThrownBy(() -> PrivateOptions.parse(new byte[PrivateOptions.MAX_JSON_BYTES + 1]))
                .isInstanceOf(MalformedAnnotationException.class);
    }

    @Test
    void malformedPublicOptionsAreTyped() {
        String[] bad = {
            "{\"cipher\":\"AES_128_GCM\",\"hmac\":\"" + b64(32) + "\"}",
            "{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"" + b64(31) + "\"}",
            "{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"" + b64(32) + "\",\"cipheroptions\":[]}",
            "{\"hmac\":\"" + b64(32) + "\"}",
            "{\"cipher\":\"AES_256_CTR_HMAC_SHA256\",\"hmac\":\"" + b64(32) + "\"} {}",
        };
        for (String s : bad) {
            assertThatThrownBy(() -> PublicOptions.parse(s.getBytes(StandardCharsets.UTF_8)))
                    .as(s).isInstanceOf(MalformedAnnotationException.class);
        }
        assertThatThrownBy(() -> PublicOptions.parseAnnotation("not base64 ***"))
                .isInstanceOf(MalformedAnnotationException.class);
    }

    @Test
    void mediaTypesMapBothWays() throws Exception {
        for (String plain : OciMediaTypes.ENCRYPTABLE) {
            String enc = OciMediaTypes.toEncrypted(plain);
            assertThat(enc).isEqualTo(plain + "+encrypted");
            assertThat(OciMediaTypes.isEncrypted(enc)).isTrue();
            assertThat(OciMediaTypes.toDecrypted(enc)).isEqualTo(plain);
        }
        assertThat(OciMediaTypes.toEncrypted("application/vnd.oci.image.layer.v1.tar+gzip"))
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip+encrypted");
        assertThatThrownBy(() -> OciMediaTypes.toEncrypted("application/vnd.docker.image.rootfs.diff.tar.gzip"))
                .isInstanceOf(MalformedAnnotationException.class);
        assertThatThrownBy(() -> OciMediaTypes.toEncrypted("application/vnd.oci.image.layer.v1.tar+gzip+encrypted"))
                .isInstanceOf(MalformedAnnotationException.class);
        assertThatThrownBy(() -> OciMediaTypes.toDecrypted("application/vnd.oci.image.layer.v1.tar+gzip"))
                .isInstanceOf(MalformedAnnotationException.class);
        assertThatThrownBy(() -> OciMediaTypes.toDecrypted("text/plain+encrypted"))
                .isInstanceOf(MalformedAnnotationException.class);
        assertThat(OciMediaTypes.isEncrypted(null)).isFalse();
    }

    private static String b64(int n) {
        return Base64.getEncoder().encodeToString(new byte[n]);
    }
}
