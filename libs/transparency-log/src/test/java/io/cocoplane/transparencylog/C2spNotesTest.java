package io.cocoplane.transparencylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The published C2SP examples (shared/testdata/merkle/c2sp): the signed-note Ed25519 example verifies with its
 * verifier key and fails after any one-byte change; the tlog-checkpoint example parses to its stated fields.
 */
class C2spNotesTest {

    private static JsonNode load(String name) throws IOException {
        Path p = SharedTestData.require("merkle/c2sp/" + name);
        return JsonMapper.builder().build().readTree(p);
    }

    @Test
    void signedNoteExampleVerifies() throws IOException {
        JsonNode ex = load("signed-note-ed25519-example.json");
        NoteVerifier v = NoteVerifier.parse(ex.get("vkey").stringValue());
        assertThat(v.name()).isEqualTo(ex.get("keyName").stringValue());
        assertThat(v.keyId()).isEqualTo(Integer.parseUnsignedInt(ex.get("keyIdHex").stringValue(), 16));
        assertThat(v.verifierKey()).isEqualTo(ex.get("vkey").stringValue());

        byte[] note = ex.get("note").stringValue().getBytes(StandardCharsets.UTF_8);
        SignedNote parsed = SignedNote.parse(note);
        assertThat(parsed.text()).isEqualTo(ex.get("signedText").stringValue());
        assertThat(parsed.signatures()).hasSize(1);
        assertThat(parsed.encode()).isEqualTo(note);
        assertThat(parsed.verify(v)).containsExactlyElementsOf(parsed.signatures());
    }

    @Test
    void keyIdFollowsTheSpecRule() throws IOException {
        JsonNode ex = load("signed-note-ed25519-example.json");
        String vkey = ex.get("vkey").stringValue();
        byte[] raw = Base64.getDecoder().decode(vkey.substring(vkey.lastIndexOf('+') + 1));
        byte[] pub = java.util.Arrays.copyOfRange(raw, 1, 33);
        byte[] name = ex.get("keyName").stringValue().getBytes(StandardCharsets.UTF_8);
        byte[] digest = ReferenceMerkle.sha256(name[0], java.util.Arrays.copyOfRange(name, 1, name.length),
                new byte[] {0x0A, 0x01}, pub);
        assertThat(HexFormat.of().formatHex(digest, 0, 4)).isEqualTo(ex.get("keyIdHex").stringValue());
        assertThat(NoteVerifier.of(ex.get("keyName").stringValue(), pub).keyId())
                .isEqualTo(Integer.parseUnsignedInt(ex.get("keyIdHex").stringValue(), 16));
    }

    @Test
    void anyOneByteChangeInTheSignedTextOrSignatureFails() throws IOException {
        JsonNode ex = load("signed-note-ed25519-example.json");
        NoteVerifier v = NoteVerifier.parse(ex.get("vkey").stringValue());
        byte[] note = ex.get("note").stringValue().getBytes(StandardCharsets.UTF_8);
        int textLen = ex.get("signedText").stringValue().getBytes(StandardCharsets.UTF_8).length;
        int rejected = 0;
        for (int i = 0; i < note.length; i++) {
            byte[] changed = note.clone();
            changed[i] ^= 0x01;
            try {
                SignedNote.parse(changed).verify(v);
                throw new AssertionError("byte " + i + " changed but the note still verifies");
            } catch (MalformedNoteException | NoteVerificationException expected) {
                if (i < textLen - 1) {
                    // a change inside the text keeps the note well formed: the signature must be what fails
                    assertThat(expected).as("byte %d", i).isInstanceOf(NoteVerificationException.class);
                }
                rejected++;
            }
        }
        assertThat(rejected).isEqualTo(note.length);
    }

    @Test
    void aDifferentKeyWithTheSameNameIsNotTrusted() throws IOException {
        JsonNode ex = load("signed-note-ed25519-example.json");
        NoteVerifier other = NoteSigner.generate(ex.get("keyName").stringValue(), new SecureRandom()).verifier();
        SignedNote note = SignedNote.parse(ex.get("note").stringValue().getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> note.verify(other)).isInstanceOf(NoteVerificationException.class)
                .hasMessageContaining("no signature from a trusted key");
    }

    @Test
    void checkpointExampleParses() throws IOException {
        JsonNode ex = load("tlog-checkpoint-format-example.json");
        byte[] bytes = ex.get("note").stringValue().getBytes(StandardCharsets.UTF_8);
        SignedNote note = SignedNote.parse(bytes);
        assertThat(note.encode()).isEqualTo(bytes);
        Checkpoint cp = Checkpoint.parse(note.text());
        assertThat(cp.origin()).isEqualTo(ex.get("expectOrigin").stringValue());
        assertThat(cp.treeSize()).isEqualTo(ex.get("expectTreeSize").longValue());
        assertThat(Base64.getEncoder().encodeToString(cp.rootHash()))
                .isEqualTo(ex.get("expectRootHashBase64").stringValue());
        assertThat(cp.extensions()).isEmpty();
        assertThat(cp.toNoteText()).isEqualTo(note.text());
        assertThat(note.signatures()).singleElement()
                .satisfies(s -> assertThat(s.keyName()).isEqualTo(ex.get("expectOrigin").stringValue()));
    }
}
