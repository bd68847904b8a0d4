package io.cocoplane.transparencylog;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;

/**
 * A c2sp.org/signed-note note: UTF-8 text, a blank line, and one or more signature lines.
 *
 * <pre>
 * note       = text "\n" 1*signature
 * text       = 1*(line "\n")            ; non-empty, ends with a newline
 * signature  = "— " key-name " " base64(key-id(4) ‖ sig) "\n"
 * </pre>
 * The text and the signatures are split at the <em>last</em> {@code "\n\n"} of the note; the signed message is the
 * text including its final newline. The note must be valid UTF-8 and contain no control character other than
 * U+000A (no CR, tab, DEL, C1 controls). Base64 is standard, padded and canonical. Parsing is strict and canonical:
 * {@link #encode()} of a parsed note gives back exactly the parsed bytes. Immutable and thread-safe.
 */
public final class SignedNote {

    private static final String SIG_PREFIX = "\u2014 ";

    private final String text;
    private final List<NoteSignature> signatures;

    private SignedNote(String text, List<NoteSignature> signatures) {
        this.text = text;
        this.signatures = List.copyOf(signatures);
    }

    /**
     * Parses a note with {@link NoteLimits#DEFAULT}.
     *
     * @param note the note bytes (UTF-8)
     * @return the parsed note; signatures are not verified
     * @throws MalformedNoteException when the note is malformed or exceeds a default limit
     * @see #parse(byte[], NoteLimits)
     */
    public static SignedNote parse(byte[] note) {
        return parse(note, NoteLimits.DEFAULT);
    }

    /**
     * Parses a note. Checks in order: size limit, strict UTF-8, no control characters but newline, a last
     * {@code "\n\n"} exists, non-empty text within the line limit, then each signature line (prefix {@code "— "},
     * key name, one space, canonical base64 of at least 5 bytes, newline) up to the signature limit, and at least
     * one signature.
     *
     * @param note   the note bytes (UTF-8)
     * @param limits the size, line and signature limits
     * @return the parsed note; signatures are not verified ({@link #verify})
     * @throws MalformedNoteException on any violation, with a message naming it
     */
    public static SignedNote parse(byte[] note, NoteLimits limits) {
        if (note == null || limits == null) {
            throw new MalformedNoteException("note or limits is null");
        }
        if (note.length > limits.maxNoteBytes()) {
            throw new MalformedNoteException("note is " + note.length + " bytes, more than " + limits.maxNoteBytes());
        }
        String s = decodeUtf8(note);
        requireNoControl(s);
        int split = s.lastIndexOf("\n\n");
        if (split < 0) {
            throw new MalformedNoteException("note has no blank line before its signatures");
        }
        String text = s.substring(0, split + 1);
        checkText(text, limits);
        String sigs = s.substring(split + 2);
        if (sigs.isEmpty()) {
            throw new MalformedNoteException("note has no signature");
        }
        if (!sigs.endsWith("\n")) {
            throw new MalformedNoteException("signature block does not end with a newline");
        }
        List<NoteSignature> out = new ArrayList<>();
        int pos = 0;
        while (pos < sigs.length()) {
            if (out.size() == limits.maxSignatures()) {
                throw new MalformedNoteException("note has more than " + limits.maxSignatures() + " signatures");
            }
            int nl = sigs.indexOf('\n', pos);
            out.add(parseSignatureLine(sigs.substring(pos, nl)));
            pos = nl + 1;
        }
        return new SignedNote(text, out);
    }

    /**
     * Signs a text with one or more signers (c2sp.org/signed-note: each signs the UTF-8 text bytes including the
     * final newline).
     *
     * @param text    the note text: non-empty, ends with a newline, no control characters but newline
     * @param signers at least one signer
     * @return the signed note, signature lines in the order of {@code signers}
     * @throws MalformedNoteException when the text is malformed or no signer is given
     */
    public static SignedNote sign(String text, NoteSigner... signers) {
        if (text == null) {
            throw new MalformedNoteException("note text is null");
        }
        requireNoControl(text);
        checkText(text, new NoteLimits(Integer.MAX_VALUE, Integer.MAX_VALUE, 1));
        if (signers == null || signers.length == 0) {
            throw new MalformedNoteException("at least one signer is needed");
        }
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> sigs = new ArrayList<>();
        for (NoteSigner signer : signers) {
            if (signer == null) {
                throw new MalformedNoteException("signer is null");
            }
            sigs.add(new NoteSignature(signer.name(), signer.keyId(), signer.sign(msg)));
        }
        return new SignedNote(text, sigs);
    }

    /**
     * Adds signatures (e.g. a witness cosignature) over the same text.
     *
     * @param signers at least one signer
     * @return a new note whose signature lines are this note's followed by the new ones
     * @throws MalformedNoteException when no signer is given
     */
    public SignedNote cosign(NoteSigner... signers) {
        SignedNote extra = sign(text, signers);
        List<NoteSignature> all = new ArrayList<>(signatures);
        all.addAll(extra.signatures);
        return new SignedNote(text, all);
    }

    /**
     * @return the note text, ending with a newline (the signed message)
     */
    public String text() {
        return text;
    }

    /**
     * @return the signature lines in note order (unmodifiable)
     */
    public List<NoteSignature> signatures() {
        return signatures;
    }

    /**
     * @return the note as UTF-8 bytes: text, {@code "\n"}, then each signature line
     */
    public byte[] encode() {
        StringBuilder sb = new StringBuilder(text).append('\n');
        for (NoteSignature sig : signatures) {
            sb.append(sig.line());
        }
        return sb.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Verifies the note against trusted keys. A signature line is checked when its key name and key ID both match
     * a trusted verifier; lines from unknown keys are ignored (c2sp.org/signed-note).
     *
     * @param verifiers the trusted verifiers (at least one)
     * @return the signature lines that verified, in note order (at least one)
     * @throws NoteVerificationException when no verifier is given, a line from a trusted key has a bad signature, or
     *                                   no line from a trusted key is present
     */
    public List<NoteSignature> verify(Collection<NoteVerifier> verifiers) {
        if (verifiers == null || verifiers.isEmpty()) {
            throw new NoteVerificationException("no trusted verifier given");
        }
        byte[] msg = text.getBytes(StandardCharsets.UTF_8);
        List<NoteSignature> ok = new ArrayList<>();
        for (NoteSignature sig : signatures) {
            for (NoteVerifier v : verifiers) {
                if (v != null && v.name().equals(sig.keyName()) && v.keyId() == sig.keyId()) {
                    if (!v.verify(msg, sig.signature())) {
                        throw new NoteVerificationException("invalid signature from trusted key " + v.name() + "+"
                                + NoteKeys.hex8(v.keyId()));
                    }
                    ok.add(sig);
                    break;
                }
            }
        }
        if (ok.isEmpty()) {
            throw new NoteVerificationException("note has no signature from a trusted key");
        }
        return List.copyOf(ok);
    }

    /**
     * @param verifiers the trusted verifiers
     * @return see {@link #verify(Collection)}
     * @throws NoteVerificationException see {@link #verify(Collection)}
     */
    public List<NoteSignature> verify(NoteVerifier... verifiers) {
        return verify(verifiers == null ? List.of() : Arrays.asList(verifiers));
    }

    /**
     * @return the note as a string (text, blank line, signature lines)
     */
    @Override
    public String toString() {
        return new String(encode(), StandardCharsets.UTF_8);
    }

    private static NoteSignature parseSignatureLine(String line) {
        if (!line.startsWith(SIG_PREFIX)) {
            throw new MalformedNoteException("signature line does not start with \"\u2014 \"");
        }
        String rest = line.substring(SIG_PREFIX.length());
        int sp = rest.indexOf(' ');
        if (sp <= 0) {
            throw new MalformedNoteException("signature line has no key name followed by a space");
        }
        String name = rest.substring(0, sp);
        byte[] raw = NoteKeys.decodeBase64(rest.substring(sp + 1), "signature");
        if (raw.length < 5) {
            throw new MalformedNoteException("signature is shorter than a key ID plus one byte");
        }
        int keyId = ((raw[0] & 0xFF) << 24) | ((raw[1] & 0xFF) << 16) | ((raw[2] & 0xFF) << 8) | (raw[3] & 0xFF);
        return new NoteSignature(name, keyId, Arrays.copyOfRange(raw, 4, raw.length));
    }

    private static void checkText(String text, NoteLimits limits) {
        if (text.isEmpty() || text.equals("\n")) {
            throw new MalformedNoteException("note text is empty");
        }
        if (!text.endsWith("\n")) {
            throw new MalformedNoteException("note text does not end with a newline");
        }
        long lines = text.chars().filter(c -> c == '\n').count();
        if (lines > limits.maxTextLines()) {
            throw new MalformedNoteException("note text has " + lines + " lines, more than " + limits.maxTextLines());
        }
    }

    private static String decodeUtf8(byte[] note) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(note)).toString();
        } catch (CharacterCodingException e) {
            throw new MalformedNoteException("note is not valid UTF-8", e);
        }
    }

    private static void requireNoControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c != '\n' && Character.isISOControl(c) || Character.isSurrogate(c)
                    && !(Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1)))
                    && !(Character.isLowSurrogate(c) && i > 0 && Character.isHighSurrogate(s.charAt(i - 1)))) {
                throw new MalformedNoteException("note contains a control character or lone surrogate at offset " + i);
            }
        }
    }
}
