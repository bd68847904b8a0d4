package io.cocoplane.initdata;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * An init-data TOML document together with its exact bytes. The digest that lands in the TEE field is
 * computed over these bytes (see {@link InitDataDigest}), so a document is never re-serialised once it exists:
 * {@link #parse(byte[])} keeps the bytes it was given, and {@link #write(InitData)} fixes the bytes once.
 *
 * <p>Canonical bytes written by {@link #write(InitData)} (UTF-8, LF line ends, no BOM):
 * <pre>
 * version = "0.1.0"
 * algorithm = "sha256"
 * [data]
 * "aa.toml" = '''
 * &lt;value&gt;'''
 *
 * "cdh.toml" = '''
 * &lt;value&gt;'''
 * </pre>
 * For {@code aa.toml}, {@code cdh.toml}, {@code policy.rego} all empty this is byte-for-byte the 113-byte
 * document of Kata's annotation test vector (kata {@code src/runtime/pkg/oci/utils_test.go}).
 */
public final class InitDataDocument {

    private final byte[] bytes;
    private final InitData initData;

    private InitDataDocument(byte[] bytes, InitData initData) {
        this.bytes = bytes;
        this.initData = initData;
    }

    /**
     * Serialises init-data to its canonical bytes (deterministic: same input, same bytes). The written
     * document is parsed back with the TOML library and compared before it is returned.
     *
     * @param initData the content
     * @return the document
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public static InitDataDocument write(InitData initData) {
        InitDataException.requireArgument(initData, "initData");
        return new InitDataDocument(InitDataToml.write(initData), initData);
    }

    /**
     * Parses and validates a TOML document with {@link DecodeLimits#DEFAULT}.
     *
     * @param toml the exact document bytes (UTF-8); copied
     * @return the document, keeping exactly these bytes
     * @throws InitDataException see {@link #parse(byte[], DecodeLimits)}
     */
    public static InitDataDocument parse(byte[] toml) {
        return parse(toml, DecodeLimits.DEFAULT);
    }

    /**
     * Parses and validates a TOML document: UTF-8, valid TOML, exactly the top-level keys {@code version}
     * (string {@value InitData#VERSION}), {@code algorithm} (string {@code sha256|sha384|sha512}) and
     * {@code data} (table of strings), within the limits.
     *
     * @param toml   the exact document bytes (UTF-8); copied
     * @param limits size and count limits ({@code maxDocumentBytes}, {@code maxDataEntries} apply)
     * @return the document, keeping exactly these bytes
     * @throws InitDataException with reason DOCUMENT_TOO_LARGE, NOT_UTF8, NOT_TOML, MISSING_FIELD,
     *                           UNEXPECTED_FIELD, WRONG_TYPE, UNSUPPORTED_VERSION, UNSUPPORTED_ALGORITHM,
     *                           TOO_MANY_ENTRIES, INVALID_DATA_KEY, INVALID_DATA_VALUE, or INVALID_ARGUMENT
     *                           for {@code null} arguments
     */
    public static InitDataDocument parse(byte[] toml, DecodeLimits limits) {
        InitDataException.requireArgument(toml, "toml");
        InitDataException.requireArgument(limits, "limits");
        byte[] copy = toml.clone();
        return new InitDataDocument(copy, InitDataToml.parse(copy, limits));
    }

    /** @return a copy of the exact document bytes */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** @return the document text (the bytes decoded as UTF-8; they are known to be valid UTF-8) */
    public String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** @return the parsed content */
    public InitData initData() {
        return initData;
    }

    /** @return the hash named by {@code algorithm} over {@link #bytes()} */
    public InitDataDigest digest() {
        return InitDataDigest.compute(initData.algorithm(), bytes);
    }

    /**
     * Shorthand for {@code digest().forTee(platform)}.
     *
     * @param platform the TEE
     * @return the value the TEE field (SNP HOST_DATA, TDX MRCONFIGID, CCA personalization value) must hold
     * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
     */
    public InitDataDigest.TeeFieldValue teeFieldValue(TeePlatform platform) {
        return digest().forTee(platform);
    }

    /** Two documents are equal when their bytes are equal. */
    @Override
    public boolean equals(Object o) {
        return o instanceof InitDataDocument d && Arrays.equals(d.bytes, bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "InitDataDocument[" + bytes.length + " bytes, " + initData + "]";
    }
}
