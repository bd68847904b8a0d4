package io.cocoplane.ocicrypt;

import java.nio.charset.StandardCharsets;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Jazzer fuzz tests of the parsers that read attacker-controlled manifest data. In a plain {@code mvn verify} they run
 * in regression mode over the empty input and the seeds under
 * {@code src/test/resources/io/cocoplane/ocicrypt/AnnotationParsersFuzzTestInputs/<method>/}. The only exception any
 * input may produce is the typed {@link MalformedAnnotationException}; anything else (NPE, index errors, Jackson
 * exceptions leaking) fails the test.
 */
class AnnotationParsersFuzzTest {

    @FuzzTest(maxDuration = "60s")
    void keyProviderPacket(byte[] data) {
        try {
            KeyProviderPacket p = KeyProviderPacket.parse(data);
            // a parsed packet must survive its own round trip
            KeyProviderPacket again = KeyProviderPacket.parseAnnotation(p.toAnnotationValue());
            if (!again.equals(p)) {
                throw new AssertionError("packet changed across a round trip: " + p);
            }
            KbsResourceUri.parse(p.kid());
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
        try {
            KeyProviderPacket.parseAnnotation(new String(data, StandardCharsets.ISO_8859_1));
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
    }

    @FuzzTest(maxDuration = "60s")
    void manifestInspector(byte[] data) {
        try {
            ManifestEncryptionSummary s = ManifestInspector.inspect(data);
            s.keyIds();
            s.kbsKeyIds();
            s.allEncrypted();
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
    }

    @FuzzTest(maxDuration = "60s")
    void jweAnnotation(byte[] data) {
        try {
            JweKeyWrapper.recipientAlgorithms(new String(data, StandardCharsets.ISO_8859_1));
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
        try {
            PublicOptions.parse(data);
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
        try {
            PrivateOptions.parse(data);
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
    }

    @FuzzTest(maxDuration = "60s")
    void keyProviderMessage(byte[] data) {
        try {
            KeyProviderMessage m = KeyProviderMessage.parse(data);
            if (!KeyProviderMessage.parse(m.toJson()).equals(m)) {
                throw new AssertionError("message changed across a round trip: " + m);
            }
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
        try {
            KeyProviderMessage.parseKeyWrapOutput(data);
        } catch (MalformedAnnotationException expected) {
            // typed rejection is the contract
        }
    }
}
