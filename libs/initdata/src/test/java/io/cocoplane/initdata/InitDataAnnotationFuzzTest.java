package io.cocoplane.initdata;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the annotation decoder and the TOML parser. In regression mode (plain {@code mvn verify}) it runs
 * the empty input and each file of {@code src/test/resources/io/cocoplane/initdata/InitDataAnnotationFuzzTestInputs/<method>/}.
 *
 * <p>Properties: only {@link InitDataException} escapes for bad input; whatever is accepted round-trips
 * (re-encoding keeps the exact bytes and digest, and the canonical re-serialisation parses to the same content).
 */
class InitDataAnnotationFuzzTest {

    private static final DecodeLimits LIMITS = new DecodeLimits(64 * 1024, 64 * 1024, 64);

    @FuzzTest
    void decodeAnnotation(byte[] input) {
        String annotation = new String(input, StandardCharsets.ISO_8859_1);
        InitDataDocument doc;
        try {
            doc = InitDataAnnotation.decode(annotation, LIMITS);
        } catch (InitDataException expected) {
            return;
        }
        checkAccepted(doc);
        InitDataDocument again = InitDataAnnotation.decode(InitDataAnnotation.encode(doc), LIMITS);
        if (!again.equals(doc) || !again.digest().equals(doc.digest())) {
            throw new AssertionError("annotation re-encoding changed the document");
        }
    }

    @FuzzTest
    void parseToml(byte[] input) {
        InitDataDocument doc;
        try {
            doc = InitDataDocument.parse(input, LIMITS);
        } catch (InitDataException expected) {
            return;
        }
        checkAccepted(doc);
    }

    private static void checkAccepted(InitDataDocument doc) {
        if (!doc.initData().version().equals(InitData.VERSION)) {
            throw new AssertionError("accepted a document with another version");
        }
        InitDataDocument canonical = InitDataDocument.write(doc.initData());
        InitData reparsed = InitDataDocument.parse(canonical.bytes()).initData();
        if (!reparsed.equals(doc.initData())) {
            throw new AssertionError("canonical re-serialisation does not round-trip");
        }
        for (TeePlatform platform : TeePlatform.values()) {
            if (doc.teeFieldValue(platform).value().length != platform.fieldLength()) {
                throw new AssertionError("wrong field length for " + platform);
            }
        }
    }
}
