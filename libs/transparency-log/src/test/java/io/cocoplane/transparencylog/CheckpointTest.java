package io.cocoplane.transparencylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Checkpoints and signed notes with keys made here: sign, encode, parse and verify round-trip; a wrong key, an
 * altered tree size, root or origin is refused; malformed notes, keys and checkpoint bodies give
 * {@link MalformedNoteException}.
 */
class CheckpointTest {

    private static final String ORIGIN = "audit.cocoplane.example/log";
    private static final byte[] SEED = new byte[32];

    static {
        for (int i = 0; i < SEED.length; i++) {
            SEED[i] = (byte) (i * 7 + 1);
        }
    }

    private static final NoteSigner LOG = NoteSigner.fromSeed(ORIGIN, SEED);

    private static Checkpoint checkpointOfTree(int n) {
        MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
        for (int i = 0; i < n; i++) {
            tree.append(ReferenceMerkle.entry(i));
        }
        return new Checkpoint(ORIGIN, tree.size(), tree.rootHash());
    }

    @Test
    void signedCheckpointRoundTripsAndVerifies() {
        Checkpoint cp = checkpointOfTree(21);
        byte[] note = cp.sign(LOG).encode();
        String s = new String(note, StandardCharsets.UTF_8);
        String expectedText = ORIGIN + "\n21\n"
                + Base64.getEncoder().encodeToString(ReferenceMerkle.mth(ReferenceMerkle.leaves(21), 0, 21)) + "\n";
        assertThat(s).startsWith(expectedText + "\n\u2014 " + ORIGIN + " ").endsWith("\n");

        Checkpoint back = Checkpoint.verify(note, ORIGIN, NoteLimits.DEFAULT, LOG.verifier());
        assertThat(back).isEqualTo(cp);
        assertThat(back.treeSize()).isEqualTo(21);
        assertThat(SignedNote.parse(note).encode()).isEqualTo(note);

        // the verifier key string survives a round trip and verifies too
        NoteVerifier fromString = NoteVerifier.parse(LOG.verifier().verifierKey());
        assertThat(Checkpoint.verify(note, ORIGIN, NoteLimits.DEFAULT, fromString)).isEqualTo(cp);
        // the 64-byte Ed25519 signature follows the 4-byte key id
        byte[] raw = Base64.getDecoder().decode(s.substring(s.lastIndexOf(' ') + 1).strip());
        assertThat(raw).hasSize(68);
        assertThat(SignedNote.parse(note).signatures().get(0).keyId()).isEqualTo(LOG.keyId());
    }

    @Test
    void keyIdIsTheFirstFourBytesOfTheSpecHash() {
        byte[] pub = LOG.verifier().publicKey();
        byte[] name = ORIGIN.getBytes(StandardCharsets.UTF_8);
        byte[] d = ReferenceMerkle.sha256(name[0], Arrays.copyOfRange(name, 1, name.length), new byte[] {0x0A, 1},
                pub);
        int expected = ((d[0] & 0xFF) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
        assertThat(LOG.keyId()).isEqualTo(expected);
        assertThat(LOG.verifier().verifierKey()).startsWith(ORIGIN + "+" + String.format("%08x", expected) + "+");
    }

    @Test
    void wrongKeyIsRefused() {
        byte[] note = checkpointOfTree(5).sign(LOG).encode();
        NoteVerifier stranger = NoteSigner.generate("someone.else/log", new SecureRandom()).verifier();
        assertThatThrownBy(() -> Checkpoint.verify(note, ORIGIN, NoteLimits.DEFAULT, stranger))
                .isInstanceOf(NoteVerificationException.class);
        NoteVerifier sameNameOtherKey = NoteSigner.generate(ORIGIN, new SecureRandom()).verifier();
        assertThatThrownBy(() -> Checkpoint.verify(note, ORIGIN, NoteLimits.DEFAULT, sameNameOtherKey))
                .isInstanceOf(NoteVerificationException.class);
    }

    @Test
    void alteredTreeSizeRootOrOriginIsRefused() {
        Checkpoint cp = checkpointOfTree(5);
        String note = new String(cp.sign(LOG).encode(), StandardCharsets.UTF_8);
        String biggerSize = note.replaceFirst("\n5\n", "\n6\n");
        assertThat(biggerSize).isNotEqualTo(note);
        assertThatThrownBy(() -> Checkpoint.verify(biggerSize.getBytes(StandardCharsets.UTF_8), ORIGIN,
                NoteLimits.DEFAULT, LOG.verifier())).isInstanceOf(NoteVerificationException.class)
                .hasMessageContaining("invalid signature");

        String rootB64 = Base64.getEncoder().encodeToString(cp.rootHash());
        String otherRoot = Base64.getEncoder().encodeToString(ReferenceMerkle.flipBit(cp.rootHash(), 0));
        String alteredRoot = note.replace(rootB64, otherRoot);
        assertThatThrownBy(() -> Checkpoint.verify(alteredRoot.getBytes(StandardCharsets.UTF_8), ORIGIN,
                NoteLimits.DEFAULT, LOG.verifier())).isInstanceOf(NoteVerificationException.class);

        // a log that signs another origin's checkpoint is refused by origin, even with a valid signature
        NoteSigner other = NoteSigner.generate("other.example/log", new SecureRandom());
        byte[] foreign = new Checkpoint("other.example/log", 5, cp.rootHash()).sign(other).encode();
        assertThatThrownBy(() -> Checkpoint.verify(foreign, ORIGIN, NoteLimits.DEFAULT, other.verifier()))
                .isInstanceOf(NoteVerificationException.class).hasMessageContaining("origin");
    }

    @Test
    void cosignedNoteVerifiesWithEitherKeyAndIgnoresUnknownSignatures() {
        NoteSigner witness = NoteSigner.generate("witness.example/w1", new SecureRandom());
        SignedNote note = checkpointOfTree(9).sign(LOG).cosign(witness);
        SignedNote parsed = SignedNote.parse(note.encode());
        assertThat(parsed.signatures()).hasSize(2);
        assertThat(parsed.verify(witness.verifier())).singleElement()
                .satisfies(s -> assertThat(s.keyName()).isEqualTo("witness.example/w1"));
        assertThat(parsed.verify(LOG.verifier(), witness.verifier())).hasSize(2);
    }

    @Test
    void signerKeyStringRoundTrips() {
        String skey = LOG.signerKey();
        assertThat(skey).startsWith("PRIVATE+KEY+" + ORIGIN + "+");
        NoteSigner back = NoteSigner.parse(skey);
        assertThat(back.verifier().verifierKey()).isEqualTo(LOG.verifier().verifierKey());
        assertThat(back.toString()).doesNotContain(skey.substring(skey.lastIndexOf('+') + 1));
        // deterministic Ed25519: same key, same message, same signature
        assertThat(back.sign(new byte[] {1})).isEqualTo(LOG.sign(new byte[] {1}));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",                                    // empty
        "hello\n",                             // no blank line
        "hello\n\n",                           // no signature
        "\n\n\u2014 k AAAAAAE=\n",             // empty text
        "hello\n\n\u2014 k AAAAAAE=",          // signature line without newline
        "hello\n\n- k AAAAAAE=\n",             // hyphen instead of em dash
        "hello\n\n\u2014 k  AAAAAAE=\n",       // two spaces
        "hello\n\n\u2014 k AAAAAA==\n",        // 4 bytes: key id without signature
        "hello\n\n\u2014 k AAAAAAF=\n",        // non-canonical base64 (trailing bits)
        "hello\n\n\u2014 k AAAAAAE\n",         // missing padding
        "hello\n\n\u2014 k+x AAAAAAE=\n",      // '+' in key name
        "hel\rlo\n\n\u2014 k AAAAAAE=\n",      // CR in text
        "hel\tlo\n\n\u2014 k AAAAAAE=\n",      // tab in text
        "hello\n\n\u2014 k AAAAAAE=\n\n",      // trailing blank line
        "hello\n\n\u2014 k AAAAAAE=\nextra\n", // non-signature line in the signature block
    })
    void malformedNotesAreRejected(String note) {
        assertThatThrownBy(() -> SignedNote.parse(note.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(MalformedNoteException.class);
    }

    @Test
    void wellFormedMinimalNoteParses() {
        SignedNote n = SignedNote.parse("hello\n\n\u2014 k AAAAAAE=\n".getBytes(StandardCharsets.UTF_8));
        assertThat(n.text()).isEqualTo("hello\n");
        assertThat(n.signatures()).containsExactly(new NoteSignature("k", 0, new byte[] {1}));
    }

    @Test
    void limitsAndEncodingAreEnforced() {
        String sig = "\u2014 k AAAAAAE=\n";
        NoteLimits small = new NoteLimits(200, 3, 2);
        assertThatThrownBy(() -> SignedNote.parse(("a\n\n" + sig.repeat(3)).getBytes(StandardCharsets.UTF_8), small))
                .isInstanceOf(MalformedNoteException.class).hasMessageContaining("more than 2 signatures");
        assertThatThrownBy(() -> SignedNote.parse(("a\n".repeat(4) + "\n" + sig).getBytes(StandardCharsets.UTF_8),
                small)).isInstanceOf(MalformedNoteException.class).hasMessageContaining("lines");
        assertThatThrownBy(() -> SignedNote.parse(("a".repeat(300) + "\n\n" + sig).getBytes(StandardCharsets.UTF_8),
                small)).isInstanceOf(MalformedNoteException.class).hasMessageContaining("bytes");
        byte[] badUtf8 = ("a\n\n" + sig).getBytes(StandardCharsets.UTF_8);
        badUtf8[0] = (byte) 0xC3;
        assertThatThrownBy(() -> SignedNote.parse(badUtf8)).isInstanceOf(MalformedNoteException.class)
                .hasMessageContaining("UTF-8");
        assertThatThrownBy(() -> SignedNote.parse(null)).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> new NoteLimits(0, 1, 1)).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> SignedNote.sign("no newline", LOG)).isInstanceOf(MalformedNoteException.class);
        assertThatThrownBy(() -> SignedNote.sign("text\n")).isInstanceOf(MalformedNoteException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "origin\n",                                                             // too few lines
        "origin\n5\n",                                                          // no root
        "origin\n05\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",           // leading zero
        "origin\n-5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",           // sign
        "origin\n9223372036854775808\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n", // 2^63
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n",            // 31-byte root
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n\n",         // empty extension line
        "\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=\n",                 // empty origin
        "origin\n5\nAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=",              // no final newline
    })
    void malformedCheckpointBodiesAreRejected(String text) {
        assertThatThrownBy(() -> Checkpoint.parse(text)).isInstanceOf(MalformedNoteException.class);
    }

    @Test
    void checkpointWithExtensionsRoundTrips() {
        Checkpoint cp = new Checkpoint(ORIGIN, 0, MerkleHashes.emptyRoot(), List.of("ext one", "ext two"));
        assertThat(Checkpoint.parse(cp.toNoteText())).isEqualTo(cp);
        assertThat(cp.toNoteText()).endsWith("\next one\next two\n");
        assertThat(Checkpoint.parse("o\n9223372036854775807\n" + Base64.getEncoder().encodeToString(new byte[32])
                + "\n").treeSize()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void keyStringsWhoseBase64ContainsPlusParse() {
        int found = 0;
        for (int i = 0; i < 200 && found < 3; i++) {
            byte[] seed = new byte[32];
            seed[0] = (byte) i;
            NoteSigner s = NoteSigner.fromSeed("k.example/" + i, seed);
            String vkey = s.verifier().verifierKey();
            String b64 = vkey.substring(vkey.indexOf('+', vkey.indexOf('+') + 1) + 1);
            if (b64.contains("+")) {
                assertThat(NoteVerifier.parse(vkey).publicKey()).isEqualTo(s.verifier().publicKey());
                assertThat(NoteSigner.parse(s.signerKey()).keyId()).isEqualTo(s.keyId());
                found++;
            }
        }
        assertThat(found).isEqualTo(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "example.com/foo+530d903a",                                                  // two fields
        "example.com/foo+530d903b+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",     // wrong key id
        "example.com/foo+530D903A+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",     // upper-case hex
        "example.com/foo+530d903a+AukyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",     // type byte not 0x01
        "example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2",      // bad base64
        "+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k",                    // empty name
    })
    void malformedVerifierKeysAreRejected(String vkey) {
        assertThatThrownBy(() -> NoteVerifier.parse(vkey)).isInstanceOf(MalformedNoteException.class);
    }
}
