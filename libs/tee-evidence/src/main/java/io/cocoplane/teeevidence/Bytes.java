package io.cocoplane.teeevidence;

import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Bounds-checked little-endian field access on evidence buffers, shared by the SNP and TDX parsers. Every read that
 * would go past the end of the buffer throws {@link EvidenceRefusedException.Malformed} carrying the offset, never an
 * index exception.
 */
public final class Bytes {

    private static final HexFormat HEX = HexFormat.of();

    private Bytes() {
    }

    /**
     * @param buf buffer
     * @param off offset of the field
     * @param len field length in bytes (≥ 0)
     * @param field field name for the message
     * @return a copy of {@code buf[off, off+len)}
     * @throws EvidenceRefusedException.Malformed when the field is not entirely inside the buffer
     */
    public static byte[] slice(byte[] buf, int off, int len, String field) throws EvidenceRefusedException.Malformed {
        require(buf, off, len, field);
        return Arrays.copyOfRange(buf, off, off + len);
    }

    /**
     * @return the unsigned 16-bit little-endian value at {@code off}
     * @throws EvidenceRefusedException.Malformed when out of bounds
     */
    public static int u16(byte[] buf, int off, String field) throws EvidenceRefusedException.Malformed {
        require(buf, off, 2, field);
        return (buf[off] & 0xff) | (buf[off + 1] & 0xff) << 8;
    }

    /**
     * @return the unsigned 32-bit little-endian value at {@code off}
     * @throws EvidenceRefusedException.Malformed when out of bounds
     */
    public static long u32(byte[] buf, int off, String field) throws EvidenceRefusedException.Malformed {
        require(buf, off, 4, field);
        return (buf[off] & 0xffL) | (buf[off + 1] & 0xffL) << 8 | (buf[off + 2] & 0xffL) << 16
                | (buf[off + 3] & 0xffL) << 24;
    }

    /**
     * @return the 64-bit little-endian value at {@code off} (two's complement: bit 63 maps to the sign)
     * @throws EvidenceRefusedException.Malformed when out of bounds
     */
    public static long u64(byte[] buf, int off, String field) throws EvidenceRefusedException.Malformed {
        require(buf, off, 8, field);
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = v << 8 | (buf[off + i] & 0xffL);
        }
        return v;
    }

    /**
     * @return lowercase hex of {@code b}
     */
    public static String hex(byte[] b) {
        return HEX.formatHex(b);
    }

    /**
     * Trustee's {@code regularize_data}: zero-pads or truncates {@code data} to {@code size} bytes.
     *
     * @param data the value
     * @param size the field size
     * @return a new array of exactly {@code size} bytes
     */
    public static byte[] regularize(byte[] data, int size) {
        return Arrays.copyOf(data, size);
    }

    /**
     * @return whether both arrays are equal, compared in constant time for equal lengths
     */
    public static boolean constantTimeEquals(byte[] a, byte[] b) {
        return MessageDigest.isEqual(a, b);
    }

    /**
     * @return whether every byte of {@code b} is zero
     */
    public static boolean isZero(byte[] b) {
        int acc = 0;
        for (byte x : b) {
            acc |= x;
        }
        return acc == 0;
    }

    private static void require(byte[] buf, int off, int len, String field) throws EvidenceRefusedException.Malformed {
        if (off < 0 || len < 0 || off > buf.length || buf.length - off < len) {
            throw new EvidenceRefusedException.Malformed(
                    "truncated: field " + field + " needs " + len + " bytes, buffer is " + buf.length + " bytes", off);
        }
    }
}
