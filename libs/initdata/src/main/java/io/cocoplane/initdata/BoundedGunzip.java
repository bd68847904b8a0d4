package io.cocoplane.initdata;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.zip.GZIPInputStream;

/** Streaming gunzip that stops after {@code maxBytes + 1} inflated bytes. */
final class BoundedGunzip {

    private static final int CHUNK = 8192;

    private BoundedGunzip() {
    }

    /**
     * @param compressed gzip stream (one or more members, RFC 1952 §2.2)
     * @param maxBytes   largest accepted decompressed size
     * @return the decompressed bytes (at most {@code maxBytes})
     * @throws InitDataException NOT_GZIP for a bad header, corrupt or truncated data;
     *                           DECOMPRESSED_TOO_LARGE once more than {@code maxBytes} bytes come out
     */
    static byte[] gunzip(InputStream compressed, int maxBytes) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.min(maxBytes, 64 * 1024) + 1);
        try (GZIPInputStream in = new GZIPInputStream(compressed, 512)) {
            byte[] buffer = new byte[CHUNK];
            long total = 0;
            while (true) {
                int want = (int) Math.min(buffer.length, (long) maxBytes + 1 - total);
                int read = in.read(buffer, 0, want);
                if (read < 0) {
                    break;
                }
                total += read;
                if (total > maxBytes) {
                    throw new InitDataException(InitDataException.Reason.DECOMPRESSED_TOO_LARGE,
                            "decompressed init-data exceeds " + maxBytes + " bytes; decompression stopped");
                }
                out.write(buffer, 0, read);
            }
        } catch (IOException e) {
            throw new InitDataException(InitDataException.Reason.NOT_GZIP,
                    "not a valid gzip stream: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            if (e instanceof InitDataException ide) {
                throw ide;
            }
            throw new InitDataException(InitDataException.Reason.NOT_GZIP,
                    "not a valid gzip stream (" + e.getClass().getSimpleName() + ")", e);
        }
        return out.toByteArray();
    }
}
