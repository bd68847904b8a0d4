package io.cocoplane.initdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cocoplane.initdata.InitDataException.Reason;

/** Canonical writer (exact bytes, determinism, round trip) and every error path of the TOML parser. */
class InitDataDocumentTest {

    private static InitDataDocument parse(String text) {
        return InitDataDocument.parse(text.getBytes(StandardCharsets.UTF_8));
    }

    private static void assertReason(Runnable r, Reason reason) {
        assertThatThrownBy(r::run).isInstanceOfSatisfying(InitDataException.class,
                e -> assertThat(e.reason()).isEqualTo(reason));
    }

    @Test
    void writesMultiLineLiteralStringsInSortedKeyOrder() {
        InitData data = InitData.builder()
                .algorithm(DigestAlgorithm.SHA384)
                .put("policy.rego", "package agent_policy\n")
                .put("aa.toml", "[token_configs.kbs]\nurl = \"https://kbs:8080\"\n")
                .build();

        String expected = """
                version = "0.1.0"
                algorithm = "sha384"
                [data]
                "aa.toml" = '''
                [token_configs.kbs]
                url = "https://kbs:8080"
                '''

                "policy.rego" = '''
                package agent_policy
                '''
                """;
        assertThat(InitDataDocument.write(data).text()).isEqualTo(expected);
    }

    @Test
    void emptyDataWritesOnlyTheTableHeader() {
        assertThat(InitDataDocument.write(InitData.builder().build()).text())
                .isEqualTo("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n");
    }

    @Test
    void outputDoesNotDependOnInsertionOrder() {
        Map<String, String> a = new LinkedHashMap<>();
        a.put("b", "2");
        a.put("a", "1");
        Map<String, String> b = new LinkedHashMap<>();
        b.put("a", "1");
        b.put("b", "2");

        assertThat(InitDataDocument.write(InitData.of(DigestAlgorithm.SHA256, a)).bytes())
                .isEqualTo(InitDataDocument.write(InitData.of(DigestAlgorithm.SHA256, b)).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "",
            "no newline at end",
            "\nstarts with a newline",
            "contains ''' triple quotes",
            "ends with a quote '",
            "ends with two quotes ''",
            "windows\r\nline\r\nends",
            "lone \r carriage return",
            "tab\tand \u007f delete and \u0001 control",
            "backslash \\ and \"double\" quotes and \"\"\" triples",
            "unicode é 中文 😀 \u2028 separator",
            "policy_data := {\"containers\": []}\n"
    })
    void valuesRoundTripExactly(String value) {
        InitData data = InitData.builder().put("k", value).put("aa.toml", value).build();

        InitDataDocument written = InitDataDocument.write(data);
        InitDataDocument reparsed = InitDataDocument.parse(written.bytes());

        assertThat(reparsed.initData().get("k")).isEqualTo(value);
        assertThat(reparsed.initData()).isEqualTo(data);
        assertThat(reparsed.digest()).isEqualTo(written.digest());
    }

    @Test
    void keysThatNeedQuotingRoundTrip() {
        InitData data = InitData.builder().put("key with spaces and 'quote' \"dq\"", "v").put("ключ", "w").build();

        assertThat(InitDataDocument.parse(InitDataDocument.write(data).bytes()).initData()).isEqualTo(data);
    }

    @Test
    void parseKeepsTheGivenBytesEvenWhenNotCanonical() {
        String text = "# a comment\nalgorithm = 'sha256'\nversion = '0.1.0'\n\n[data]\n\"aa.toml\" = \"x\"\n";

        InitDataDocument doc = parse(text);

        assertThat(doc.text()).isEqualTo(text);
        assertThat(doc.initData().get("aa.toml")).isEqualTo("x");
        assertThat(InitDataDocument.write(doc.initData()).bytes()).isNotEqualTo(doc.bytes());
    }

    @Test
    void bytesAreDefensivelyCopied() {
        byte[] input = KataVectorGoldenTest.KATA_TOML.getBytes(StandardCharsets.UTF_8);
        InitDataDocument doc = InitDataDocument.parse(input);
        input[0] = 'X';
        doc.bytes()[1] = 'Y';

        assertThat(doc.digest().hex()).isEqualTo(KataVectorGoldenTest.KATA_SHA256);
    }

    @Test
    void notUtf8() {
        byte[] bad = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\nx = \"\u00e9\"\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertReason(() -> InitDataDocument.parse(bad), Reason.NOT_UTF8);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "version = ",
            "version = \"0.1.0\nalgorithm = \"sha256\"\n[data]\n",
            "version = \"0.1.0\"\nversion = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n",
            "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n[data]\n",
            "[[[",
            "= 1"
    })
    void notToml(String text) {
        assertReason(() -> parse(text), Reason.NOT_TOML);
    }

    @Test
    void deepNestingIsRefusedAsNotToml() {
        assertReason(() -> parse("version = " + "[".repeat(10_000)), Reason.NOT_TOML);
    }

    @Test
    void missingFields() {
        assertReason(() -> parse(""), Reason.MISSING_FIELD);
        assertReason(() -> parse("algorithm = \"sha256\"\n[data]\n"), Reason.MISSING_FIELD);
        assertReason(() -> parse("version = \"0.1.0\"\n[data]\n"), Reason.MISSING_FIELD);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n"), Reason.MISSING_FIELD);
    }

    @Test
    void unexpectedTopLevelField() {
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\nextra = 1\n[data]\n"),
                Reason.UNEXPECTED_FIELD);
    }

    @Test
    void wrongTypes() {
        assertReason(() -> parse("version = 1\nalgorithm = \"sha256\"\n[data]\n"), Reason.WRONG_TYPE);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = [\"sha256\"]\n[data]\n"), Reason.WRONG_TYPE);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\ndata = \"x\"\n"), Reason.WRONG_TYPE);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\nx = 1\n"), Reason.WRONG_TYPE);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data.x]\ny = \"z\"\n"),
                Reason.WRONG_TYPE);
    }

    @Test
    void unsupportedVersionAndAlgorithm() {
        assertReason(() -> parse("version = \"0.2.0\"\nalgorithm = \"sha256\"\n[data]\n"), Reason.UNSUPPORTED_VERSION);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha1\"\n[data]\n"), Reason.UNSUPPORTED_ALGORITHM);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"SHA384\"\n[data]\n"), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void tooManyEntries() {
        String text = "version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\na = \"1\"\nb = \"2\"\nc = \"3\"\n";
        DecodeLimits two = new DecodeLimits(1000, 1000, 2);

        assertReason(() -> InitDataDocument.parse(text.getBytes(StandardCharsets.UTF_8), two), Reason.TOO_MANY_ENTRIES);
        assertThat(InitDataDocument.parse(text.getBytes(StandardCharsets.UTF_8), new DecodeLimits(1000, 1000, 3))
                .initData().data()).hasSize(3);
    }

    @Test
    void documentTooLarge() {
        byte[] kata = KataVectorGoldenTest.KATA_TOML.getBytes(StandardCharsets.UTF_8);

        assertReason(() -> InitDataDocument.parse(kata, new DecodeLimits(1000, 112, 64)), Reason.DOCUMENT_TOO_LARGE);
        assertThat(InitDataDocument.parse(kata, new DecodeLimits(1000, 113, 64)).bytes()).hasSize(113);
    }

    @Test
    void invalidKeysAndValues() {
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\n\"\" = \"x\"\n"),
                Reason.INVALID_DATA_KEY);
        assertReason(() -> parse("version = \"0.1.0\"\nalgorithm = \"sha256\"\n[data]\nx = \"a\\u0000b\"\n"),
                Reason.INVALID_DATA_VALUE);
        assertReason(() -> InitData.builder().put("k".repeat(InitData.MAX_KEY_LENGTH + 1), ""), Reason.INVALID_DATA_KEY);
        assertReason(() -> InitData.builder().put("a\nb", ""), Reason.INVALID_DATA_KEY);
        assertReason(() -> InitData.builder().put("k", "bad \ud800 surrogate"), Reason.INVALID_DATA_VALUE);
        assertReason(() -> InitData.builder().put("k", "\udc00"), Reason.INVALID_DATA_VALUE);
    }

    @Test
    void nullArgumentsAreTypedErrors() {
        assertReason(() -> InitDataDocument.parse(null), Reason.INVALID_ARGUMENT);
        assertReason(() -> InitDataDocument.write(null), Reason.INVALID_ARGUMENT);
        assertReason(() -> InitData.builder().put(null, "x"), Reason.INVALID_ARGUMENT);
        assertReason(() -> InitData.builder().put("x", null), Reason.INVALID_ARGUMENT);
        Map<String, String> withNull = new LinkedHashMap<>();
        withNull.put("x", null);
        assertReason(() -> InitData.of(DigestAlgorithm.SHA256, withNull), Reason.INVALID_ARGUMENT);
    }
}
