package io.cocoplane.fuzz;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The framing of fuzz inputs that carry several byte strings (a TPM quote and its signature, a Kafka record's key,
 * value and headers, proof hashes): a sequence of parts, each a big-endian unsigned 16-bit length followed by that
 * many bytes. A part whose length runs past the end takes the bytes that remain; a dangling single byte is dropped.
 * Any byte string therefore splits into parts, so every mutation the fuzzer makes is a valid frame sequence.
 */
final class Frames {

    /** Largest part that {@link #join} can write, in bytes. */
    static final int MAX_PART_BYTES = 0xFFFF;

    private Frames() {
    }

    /**
     * @param data     fuzzer input
     * @param maxParts most parts returned (the input is not read further)
     * @return the parts, in order; empty for an input shorter than 2 bytes
     */
    static List<byte[]> split(byte[] data, int maxParts) {
        List<byte[]> parts = new ArrayList<>();
        int p = 0;
        while (parts.size() < maxParts && data.length - p >= 2) {
            int len = (data[p] & 0xff) << 8 | (data[p + 1] & 0xff);
            p += 2;
            int end = (int) Math.min((long) p + len, data.length);
            parts.add(Arrays.copyOfRange(data, p, end));
            p = end;
        }
        return parts;
    }

    /**
     * @param index a part index
     * @return part {@code index}, or an empty array when the input had fewer parts
     */
    static byte[] part(List<byte[]> parts, int index) {
        return index < parts.size() ? parts.get(index) : new byte[0];
    }

    /**
     * Frames parts so that {@link #split} gives them back (used to write seed inputs).
     *
     * @param parts parts of at most {@value #MAX_PART_BYTES} bytes each
     * @return the framed bytes
     * @throws IllegalArgumentException when a part is too long
     */
    static byte[] join(List<byte[]> parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            if (part.length > MAX_PART_BYTES) {
                throw new IllegalArgumentException("frame part of " + part.length + " bytes");
            }
            out.write(part.length >>> 8);
            out.write(part.length & 0xff);
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    /** @return a big-endian u64 as an 8-byte part */
    static byte[] u64(long v) {
        byte[] b = new byte[8];
        for (int i = 0; i < 8; i++) {
            b[i] = (byte) (v >>> (56 - 8 * i));
        }
        return b;
    }

    /** @return the big-endian value of up to the first 8 bytes of a part (0 for an empty part) */
    static long toLong(byte[] part) {
        long v = 0;
        for (int i = 0; i < Math.min(8, part.length); i++) {
            v = v << 8 | (part[i] & 0xff);
        }
        return v;
    }
}
