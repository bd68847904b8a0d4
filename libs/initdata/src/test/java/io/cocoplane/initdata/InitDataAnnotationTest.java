package io.cocoplane.initdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cocoplane.initdata.InitDataException.Reason;

/** The annotation codec (gzip + padded standard base64) and every decoder error path. */
class InitDataAnnotationTest {

    private static final byte[] KATA = KataVectorGoldenTest.KATA_TOML.getBytes(StandardCharsets.UTF_8);

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(out)) {
            g.write(data);
        }
        return out.toByteArray();
    }

    private static String annotationOf(byte[] raw) throws IOException {
        return Base64.getEncoder().encodeToString(gzip(raw));
    }

    private static void assertReason(Runnable r, Reason reason) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(InitDataException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void annotationKeysAreTheKataNames() {
        assertThat(InitDataAnnotation.KEY).isEqualTo("io.katacontainers.config.hypervisor.cc_init_data");
        assertThat(InitDataAnnotation.LEGACY_RUNTIME_KEY).isEqualTo("io.katacontainers.config.runtime.cc_init_data");
    }

    @Test
    void encodedValueIsPaddedBase64OfGzipOfTheExactBytes() throws IOException {
        InitDataDocument doc = InitDataDocument.parse(KATA);

        String annotation = InitDataAnnotation.encode(doc);

        assertThat(annotation.length() % 4).isZero();
        assertThat(annotation).matches("[A-Za-z0-9+/]+={0,2}");
        byte[] gz = Base64.getDecoder().decode(annotation);
        assertThat(Arrays.copyOf(gz, 2)).containsExactly(0x1f, 0x8b);
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(in.readAllBytes()).isEqualTo(KATA);
        }
    }

    @Test
    void roundTripKeepsBytesAndDigest() {
        InitData data = InitData.builder().algorithm(DigestAlgorithm.SHA512)
                .put("aa.toml", "[token_configs.kbs]\nurl = 'http://kbs'\n").put("policy.rego", "package agent_policy\n")
                .build();
        InitDataDocument doc = InitDataDocument.write(data);

        InitDataDocument back = InitDataAnnotation.decode(InitDataAnnotation.encode(doc));

        assertThat(back.bytes()).isEqualTo(doc.bytes());
        assertThat(back.initData()).isEqualTo(data);
        assertThat(back.digest()).isEqualTo(doc.digest());
    }

    @Test
    void encodingIsDeterministic() {
        InitDataDocument doc = InitDataDocument.parse(KATA);
        assertThat(InitDataAnnotation.encode(doc)).isEqualTo(InitDataAnnotation.encode(InitDataDocument.parse(KATA)));
    }

    @Test
    void empty() {
        assertReason(() -> InitDataAnnotation.decode(""), Reason.ANNOTATION_EMPTY);
    }

    @Test
    void tooLargeBeforeDecodingIsCheckedFirst() throws IOException {
        String valid = annotationOf(KATA);
        DecodeLimits tight = new DecodeLimits(valid.length() - 1, 1 << 20, 64);

        assertReason(() -> InitDataAnnotation.decode(valid, tight), Reason.ANNOTATION_TOO_LARGE);
        // Even garbage is refused for its size before the alphabet is looked at.
        assertReason(() -> InitDataAnnotation.decode("!".repeat(100), new DecodeLimits(99, 1 << 20, 64)),
                Reason.ANNOTATION_TOO_LARGE);
        assertThat(InitDataAnnotation.decode(valid, new DecodeLimits(valid.length(), 1 << 20, 64)).bytes())
                .isEqualTo(KATA);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "H4sI AAAA",      // space
            "H4sI\nAAAA",     // line break (base64 -w76 output)
            "H4sI-_AA",       // URL-safe alphabet
            "H4sIA=AA",       // padding in the middle
            "H4sIA===",       // three '='
            "H4sIAAAA=",      // excess '=' after a full quantum
            "H4sIA",          // 5 characters: length 1 mod 4 is impossible
            "H4sIAé==",       // non-ASCII
            "===="
    })
    void notBase64(String value) {
        assertReason(() -> InitDataAnnotation.decode(value), Reason.NOT_BASE64);
    }

    @Test
    void missingPadding() throws IOException {
        String valid = annotationOf(KATA);
        String unpadded = valid.replaceAll("=+$", "");
        assertThat(unpadded).isNotEqualTo(valid);

        assertReason(() -> InitDataAnnotation.decode(unpadded), Reason.MISSING_PADDING);
    }

    @Test
    void notGzip() throws IOException {
        assertReason(() -> InitDataAnnotation.decode(Base64.getEncoder().encodeToString(KATA)), Reason.NOT_GZIP);
        byte[] gz = gzip(KATA);
        String truncated = Base64.getEncoder().encodeToString(Arrays.copyOf(gz, gz.length - 10));
        assertReason(() -> InitDataAnnotation.decode(truncated), Reason.NOT_GZIP);
        byte[] corrupt = gz.clone();
        corrupt[gz.length / 2] ^= 0x55;
        corrupt[gz.length / 2 + 1] ^= 0x55;
        assertReason(() -> InitDataAnnotation.decode(Base64.getEncoder().encodeToString(corrupt)), Reason.NOT_GZIP);
    }

    @Test
    void notToml() throws IOException {
        String annotation = annotationOf("not = toml = at all".getBytes(StandardCharsets.UTF_8));
        assertReason(() -> InitDataAnnotation.decode(annotation), Reason.NOT_TOML);
    }

    @Test
    void notUtf8AfterDecompression() throws IOException {
        String annotation = annotationOf(new byte[] {(byte) 0xc3, 0x28});
        assertReason(() -> InitDataAnnotation.decode(annotation), Reason.NOT_UTF8);
    }

    @Test
    void decompressedJustAtTheLimitIsAcceptedOneByteLessIsNot() throws IOException {
        String annotation = annotationOf(KATA);

        assertThat(InitDataAnnotation.decode(annotation, new DecodeLimits(1 << 18, KATA.length, 64)).bytes())
                .isEqualTo(KATA);
        assertReason(() -> InitDataAnnotation.decode(annotation, new DecodeLimits(1 << 18, KATA.length - 1, 64)),
                Reason.DECOMPRESSED_TOO_LARGE);
    }

    @Test
    void decompressionBombIsRefused() throws IOException {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]); // 64 MiB of zeros, ~64 KiB compressed
        String annotation = Base64.getEncoder().encodeToString(bomb);
        assertThat(annotation.length()).isLessThan(DecodeLimits.DEFAULT.maxAnnotationChars());

        assertReason(() -> InitDataAnnotation.decode(annotation), Reason.DECOMPRESSED_TOO_LARGE);
    }

    @Test
    void bombInflationStopsEarlyInsteadOfInflatingEverything() throws IOException {
        byte[] bomb = gzip(new byte[64 * 1024 * 1024]);
        CountingInputStream counting = new CountingInputStream(new ByteArrayInputStream(bomb));

        assertReason(() -> BoundedGunzip.gunzip(counting, 1024 * 1024), Reason.DECOMPRESSED_TOO_LARGE);

        // 1 MiB of 64 MiB needs roughly 1/64 of the compressed stream; reading all of it would mean full inflation.
        assertThat(counting.count).isLessThan(bomb.length / 8);
    }

    @Test
    void nullArguments() {
        assertReason(() -> InitDataAnnotation.decode(null), Reason.INVALID_ARGUMENT);
        assertReason(() -> InitDataAnnotation.decode("AAAA", null), Reason.INVALID_ARGUMENT);
        assertReason(() -> InitDataAnnotation.encode(null), Reason.INVALID_ARGUMENT);
    }

    @Test
    void nonPositiveLimitsAreRefused() {
        assertReason(() -> new DecodeLimits(0, 1, 1), Reason.INVALID_ARGUMENT);
        assertReason(() -> new DecodeLimits(1, -1, 1), Reason.INVALID_ARGUMENT);
        assertReason(() -> new DecodeLimits(1, 1, 0), Reason.INVALID_ARGUMENT);
    }

    private static final class CountingInputStream extends FilterInputStream {
        long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
