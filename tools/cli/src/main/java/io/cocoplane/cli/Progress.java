package io.cocoplane.cli;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Progress lines on stderr for long transfers: for blobs of at least {@link #REPORT_FROM_BYTES}, one line at each
 * further 10% read ({@code label: 40% (4.0 MiB of 10.0 MiB)}). Silent with {@code --quiet}.
 */
final class Progress {

    static final long REPORT_FROM_BYTES = 1024 * 1024;

    private final PrintWriter err;
    private final boolean quiet;

    Progress(PrintWriter err, boolean quiet) {
        this.err = err;
        this.quiet = quiet;
    }

    void line(String s) {
        if (!quiet) {
            err.println(s);
            err.flush();
        }
    }

    InputStream track(InputStream in, String label, long total) {
        if (quiet || total < REPORT_FROM_BYTES) {
            return in;
        }
        return new FilterInputStream(in) {
            private long count;
            private int reported;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = in.read(b, off, len);
                if (n > 0) {
                    count += n;
                    int tenth = (int) Math.min(10, count * 10 / total);
                    if (tenth > reported) {
                        reported = tenth;
                        line(label + ": " + tenth * 10 + "% (" + size(count) + " of " + size(total) + ")");
                    }
                }
                return n;
            }
        };
    }

    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        if (bytes < 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f KiB", bytes / 1024.0);
        }
        if (bytes < 1024L * 1024 * 1024) {
            return String.format(Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024));
        }
        return String.format(Locale.ROOT, "%.2f GiB", bytes / (1024.0 * 1024 * 1024));
    }
}
