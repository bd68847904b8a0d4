package io.cocoplane.initdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/**
 * Golden tests against Kata's annotation test vector (kata {@code src/runtime/pkg/oci/utils_test.go}, listed in
 * design/kata-orchestration.md §2.2) and the negative cases the note derives from the CAA doc: a trailing
 * newline changes the digest; a value missing its base64 padding is refused.
 *
 * <p>Expected values were computed outside this code base (Python hashlib/gzip/base64) and are literals here.
 */
class KataVectorGoldenTest {

    /** The 113-byte TOML of the Kata vector, written out by hand. */
    static final String KATA_TOML = """
            version = "0.1.0"
            algorithm = "sha256"
            [data]
            "aa.toml" = '''
            '''

            "cdh.toml" = '''
            '''

            "policy.rego" = '''
            '''
            """;
    static final String KATA_SHA256 = "c6694bb7a29d6f37ec72a15582e004b9f3142159682db8509a304407419a49e5";
    static final String KATA_SNP_HOST_DATA_BASE64 = "xmlLt6KdbzfscqFVguAEufMUIVloLbhQmjBEB0GaSeU=";
    /** sha256 of the same text without its final LF (Python). */
    static final String KATA_SHA256_NO_TRAILING_NEWLINE =
            "5661e5df056a014a62923d0d0b9509894618665a98516c82e6abda3a412706d6";
    /** Python {@code base64.b64encode(gzip.compress(KATA_TOML, mtime=0))}: ends with two '=' of padding. */
    static final String KATA_ANNOTATION_FROM_PYTHON = "H4sIAAAAAAAAAytLLSrOzM9TsFVQMtAz1DNQ4krMSc8vyizJyAWJFWckGpmaK"
            + "XFFpySWJMZyKSUm6pXk5+YoAeXU1dW5QJhLKTklA4toQX5OZnKlXlFqej6yBABS/5JkcQAAAA==";

    private static byte[] kataBytes() {
        return KATA_TOML.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void vectorIs113Bytes() {
        assertThat(kataBytes()).hasSize(113);
    }

    @Test
    void canonicalWriterReproducesTheKataDocumentByteForByte() {
        InitData empty = InitData.builder()
                .algorithm(DigestAlgorithm.SHA256)
                .put(InitData.POLICY_REGO, "")
                .put(InitData.AA_TOML, "")
                .put(InitData.CDH_TOML, "")
                .build();

        InitDataDocument doc = InitDataDocument.write(empty);

        assertThat(doc.bytes()).isEqualTo(kataBytes());
        assertThat(doc.digest().hex()).isEqualTo(KATA_SHA256);
    }

    @Test
    void parsedVectorHasThreeEmptyEntriesAndTheKataDigest() {
        InitDataDocument doc = InitDataDocument.parse(kataBytes());

        assertThat(doc.initData().algorithm()).isEqualTo(DigestAlgorithm.SHA256);
        assertThat(doc.initData().data()).containsOnlyKeys("aa.toml", "cdh.toml", "policy.rego")
                .allSatisfy((k, v) -> assertThat(v).isEmpty());
        assertThat(doc.digest().hex()).isEqualTo(KATA_SHA256);
    }

    @Test
    void snpHostDataIsTheDigestItselfInBase64() {
        InitDataDigest.TeeFieldValue snp = InitDataDocument.parse(kataBytes()).teeFieldValue(TeePlatform.SNP);

        assertThat(snp.value()).hasSize(32);
        assertThat(snp.base64()).isEqualTo(KATA_SNP_HOST_DATA_BASE64);
        assertThat(snp.hex()).isEqualTo(KATA_SHA256);
    }

    @Test
    void tdxMrConfigIdIsTheDigestFollowedBy16ZeroBytes() {
        InitDataDigest.TeeFieldValue tdx = InitDataDocument.parse(kataBytes()).teeFieldValue(TeePlatform.TDX);

        assertThat(tdx.value()).hasSize(48);
        assertThat(tdx.hex()).isEqualTo(KATA_SHA256 + "00000000000000000000000000000000");
    }

    @Test
    void annotationProducedByAnotherGzipDecodesToTheExactBytes() {
        InitDataDocument doc = InitDataAnnotation.decode(KATA_ANNOTATION_FROM_PYTHON);

        assertThat(doc.bytes()).isEqualTo(kataBytes());
        assertThat(doc.digest().hex()).isEqualTo(KATA_SHA256);
    }

    @Test
    void trailingNewlineChangesTheDigest() {
        byte[] withoutNewline = KATA_TOML.substring(0, KATA_TOML.length() - 1).getBytes(StandardCharsets.UTF_8);

        InitDataDocument doc = InitDataDocument.parse(withoutNewline);

        // Same content, different bytes, different digest: the digest covers the exact text.
        assertThat(doc.initData()).isEqualTo(InitDataDocument.parse(kataBytes()).initData());
        assertThat(doc.digest().hex()).isEqualTo(KATA_SHA256_NO_TRAILING_NEWLINE).isNotEqualTo(KATA_SHA256);
    }

    @Test
    void oneMissingPaddingCharacterIsRefused() {
        String missingOne = KATA_ANNOTATION_FROM_PYTHON.substring(0, KATA_ANNOTATION_FROM_PYTHON.length() - 1);

        assertThatThrownBy(() -> InitDataAnnotation.decode(missingOne))
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(InitDataException.Reason.MISSING_PADDING));
    }

    @Test
    void allPaddingMissingIsRefusedEvenThoughTheJdkDecoderAloneWouldAcceptIt() {
        String missingAll = KATA_ANNOTATION_FROM_PYTHON.substring(0, KATA_ANNOTATION_FROM_PYTHON.length() - 2);
        // java.util.Base64 treats padding as optional, so the explicit check is what refuses this value.
        assertThatCode(() -> Base64.getDecoder().decode(missingAll)).doesNotThrowAnyException();

        assertThatThrownBy(() -> InitDataAnnotation.decode(missingAll))
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(InitDataException.Reason.MISSING_PADDING));
    }
}
