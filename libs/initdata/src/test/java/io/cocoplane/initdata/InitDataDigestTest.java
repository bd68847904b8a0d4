package io.cocoplane.initdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Digests over exact bytes, per algorithm, and their placement (truncation / zero padding) per TEE. */
class InitDataDigestTest {

    private static final String SHA384_DOC = """
            version = "0.1.0"
            algorithm = "sha384"
            [data]
            "aa.toml" = '''
            '''

            "cdh.toml" = '''
            '''

            "policy.rego" = '''
            '''
            """;
    /** Python hashlib.sha384 of SHA384_DOC. */
    private static final String SHA384_HEX = "1439c5956932dea35016c07ee8fa86d4938181cb08ec8114b809e68202de2a79"
            + "63f951f7aaf4e48cd11502fc5c8b6e91";
    private static final String SHA512_DOC = SHA384_DOC.replace("sha384", "sha512");
    /** Python hashlib.sha512 of SHA512_DOC. */
    private static final String SHA512_HEX = "6f466cbf29fe1c5caf53b02fceadbb0ac38c903b4a97a62ffe740fe6b5fa01c7"
            + "8fa49edf690a9abe78eb7b0d8760a257ae112bf70bf39e745bb6989fff828df8";

    private static byte[] jdk(String alg, String text) throws Exception {
        return MessageDigest.getInstance(alg).digest(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void sha384DocumentIsHashedWithSha384OverItsExactBytes() throws Exception {
        InitDataDigest d = InitDataDocument.parse(SHA384_DOC.getBytes(StandardCharsets.UTF_8)).digest();

        assertThat(d.algorithm()).isEqualTo(DigestAlgorithm.SHA384);
        assertThat(d.hex()).isEqualTo(SHA384_HEX);
        assertThat(d.value()).isEqualTo(jdk("SHA-384", SHA384_DOC));
    }

    @Test
    void sha512DocumentIsHashedWithSha512() throws Exception {
        InitDataDigest d = InitDataDocument.parse(SHA512_DOC.getBytes(StandardCharsets.UTF_8)).digest();

        assertThat(d.hex()).isEqualTo(SHA512_HEX);
        assertThat(d.value()).isEqualTo(jdk("SHA-512", SHA512_DOC));
    }

    @Test
    void writtenDocumentDigestEqualsJdkDigestOfHandWrittenBytes() throws Exception {
        InitData data = InitData.builder().algorithm(DigestAlgorithm.SHA256).put("x", "y\n").build();
        String expectedText = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n\"x\" = '''\ny\n'''\n";

        InitDataDocument doc = InitDataDocument.write(data);

        assertThat(doc.text()).isEqualTo(expectedText);
        assertThat(doc.digest().value()).isEqualTo(jdk("SHA-256", expectedText));
    }

    @Test
    void sha384IsTruncatedTo32BytesOnSnp() {
        InitDataDigest d = InitDataDocument.parse(SHA384_DOC.getBytes(StandardCharsets.UTF_8)).digest();

        assertThat(d.forTee(TeePlatform.SNP).hex()).isEqualTo(SHA384_HEX.substring(0, 64));
    }

    @Test
    void sha384FillsTdxExactly() {
        InitDataDigest d = InitDataDocument.parse(SHA384_DOC.getBytes(StandardCharsets.UTF_8)).digest();

        assertThat(d.forTee(TeePlatform.TDX).hex()).isEqualTo(SHA384_HEX);
    }

    @Test
    void sha512IsTruncatedTo48BytesOnTdxAndFillsCca() {
        InitDataDigest d = InitDataDocument.parse(SHA512_DOC.getBytes(StandardCharsets.UTF_8)).digest();

        assertThat(d.forTee(TeePlatform.TDX).hex()).isEqualTo(SHA512_HEX.substring(0, 96));
        assertThat(d.forTee(TeePlatform.CCA).hex()).isEqualTo(SHA512_HEX);
    }

    @Test
    void sha256IsZeroPaddedTo64BytesOnCca() {
        byte[] digest = new byte[32];
        Arrays.fill(digest, (byte) 0xbb);
        InitDataDigest d = new InitDataDigest(DigestAlgorithm.SHA256, digest);

        assertThat(d.forTee(TeePlatform.CCA).hex()).isEqualTo("bb".repeat(32) + "00".repeat(32));
    }

    @ParameterizedTest
    @EnumSource(TeePlatform.class)
    void fieldLengthsAreThoseOfTheNote(TeePlatform platform) {
        int expected = switch (platform) {
            case SNP -> 32;
            case TDX -> 48;
            case CCA -> 64;
        };
        assertThat(platform.fieldLength()).isEqualTo(expected);
        assertThat(platform.fit(new byte[100])).hasSize(expected);
        assertThat(platform.fit(new byte[1])).hasSize(expected);
    }

    @Test
    void digestValueIsDefensivelyCopied() {
        byte[] raw = new byte[32];
        InitDataDigest d = new InitDataDigest(DigestAlgorithm.SHA256, raw);
        raw[0] = 1;
        d.value()[1] = 1;

        assertThat(d.value()).isEqualTo(new byte[32]);
    }

    @Test
    void wrongDigestLengthIsRefused() {
        assertThatThrownBy(() -> new InitDataDigest(DigestAlgorithm.SHA384, new byte[32]))
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(InitDataException.Reason.INVALID_ARGUMENT));
        assertThatThrownBy(() -> new InitDataDigest.TeeFieldValue(TeePlatform.TDX, new byte[32]))
                .isInstanceOf(InitDataException.class);
    }

    @Test
    void algorithmNamesAreExactAndCaseSensitive() {
        assertThat(DigestAlgorithm.fromTomlName("sha512")).isEqualTo(DigestAlgorithm.SHA512);
        for (String bad : new String[] {"SHA256", "sha-256", "sha1", "", "sha256 "}) {
            assertThatThrownBy(() -> DigestAlgorithm.fromTomlName(bad))
                    .isInstanceOfSatisfying(InitDataException.class,
                            e -> assertThat(e.reason()).isEqualTo(InitDataException.Reason.UNSUPPORTED_ALGORITHM));
        }
    }

    @Test
    void hexIsLowercase() {
        byte[] raw = HexFormat.of().parseHex("AB".repeat(32));
        assertThat(new InitDataDigest(DigestAlgorithm.SHA256, raw).hex()).isEqualTo("ab".repeat(32));
    }
}
