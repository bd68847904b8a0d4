package io.cocoplane.transparencylog;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the signed-note and checkpoint parsers with arbitrary bytes. Properties: the only failure is
 * {@link MalformedNoteException}; a note that parses is canonical ({@code encode()} gives back exactly the input) and
 * within the default limits; a checkpoint body that parses re-serialises to the same text; verifying against a key
 * that did not sign fails only with {@link NoteVerificationException}.
 *
 * <p>Plain {@code mvn verify} runs it in regression mode over the empty input and the seed files under
 * {@code src/test/resources/io/cocoplane/transparencylog/SignedNoteFuzzTestInputs/parse/}; {@code JAZZER_FUZZ=1}
 * fuzzes for real.
 */
class SignedNoteFuzzTest {

    private static final NoteVerifier STRANGER = NoteSigner.fromSeed("fuzz.example/key", new byte[32]).verifier();

    @FuzzTest
    void parse(byte[] data) {
        SignedNote note;
        try {
            note = SignedNote.parse(data);
        } catch (MalformedNoteException expected) {
            return;
        }
        assertThat(note.encode()).isEqualTo(data);
        assertThat(data.length).isLessThanOrEqualTo(NoteLimits.DEFAULT.maxNoteBytes());
        assertThat(note.signatures()).isNotEmpty().hasSizeLessThanOrEqualTo(NoteLimits.DEFAULT.maxSignatures());
        assertThat(note.text()).endsWith("\n");
        try {
            Checkpoint cp = Checkpoint.parse(note.text());
            assertThat(cp.toNoteText()).isEqualTo(note.text());
        } catch (MalformedNoteException notACheckpoint) {
            // fine: not every note is a checkpoint
        }
        try {
            note.verify(STRANGER);
        } catch (NoteVerificationException expected) {
            // fine: the stranger key signed nothing here (or a forged line names it)
        }
    }
}
