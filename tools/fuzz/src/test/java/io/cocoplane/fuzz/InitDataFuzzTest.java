package io.cocoplane.fuzz;

import static io.cocoplane.fuzz.Outcome.check;
import static io.cocoplane.fuzz.Outcome.refusedOr;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.zip.GZIPOutputStream;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.initdata.DecodeLimits;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.initdata.InitDataException;
import io.cocoplane.initdata.TeePlatform;

/**
 * Fuzz targets for {@code libs/initdata}: the {@code io.katacontainers.config.hypervisor.cc_init_data} annotation
 * (base64, gzip with bounded inflation, TOML) and the TOML document. The documented refusal is
 * {@link InitDataException}.
 */
class InitDataFuzzTest {

    /** Tighter than the defaults so that inflation bombs hit the bound quickly. */
    static final DecodeLimits LIMITS = new DecodeLimits(64 * 1024, 64 * 1024, 64);

    /** Which layer the rest of an {@link #annotation} input feeds, chosen by its first byte modulo 3. */
    enum Layer {
        /** The rest is the annotation string itself (ISO-8859-1): the base64 layer is fuzzed. */
        ANNOTATION,
        /** The rest is the gzip stream; the target base64-encodes it: the inflater is fuzzed. */
        GZIP,
        /** The rest is the TOML document; the target gzips and base64-encodes it: the whole codec path. */
        TOML;

        /** @return the input that makes {@link #annotation} feed {@code payload} to this layer */
        byte[] input(byte[] payload) {
            byte[] in = new byte[payload.length + 1];
            in[0] = (byte) ordinal();
            System.arraycopy(payload, 0, in, 1, payload.length);
            return in;
        }
    }

    /** The annotation codec, fuzzed at the layer the first byte selects; accepted documents re-encode losslessly. */
    @FuzzTest
    void annotation(byte[] data) {
        if (data.length == 0) {
            return;
        }
        byte[] rest = Arrays.copyOfRange(data, 1, data.length);
        String annotation = switch (Layer.values()[(data[0] & 0xff) % 3]) {
            case ANNOTATION -> new String(rest, StandardCharsets.ISO_8859_1);
            case GZIP -> Base64.getEncoder().encodeToString(rest);
            case TOML -> Base64.getEncoder().encodeToString(gzip(rest));
        };
        InitDataDocument doc = refusedOr(() -> InitDataAnnotation.decode(annotation, LIMITS), InitDataException.class);
        if (doc == null) {
            return;
        }
        check(doc.bytes().length <= LIMITS.maxDocumentBytes(), "document over the limit");
        InitDataDocument again = InitDataAnnotation.decode(InitDataAnnotation.encode(doc), LIMITS);
        check(again.equals(doc) && again.digest().equals(doc.digest()), "annotation re-encoding changed the document");
        accepted(doc);
    }

    /** The TOML document parser; accepted content survives the canonical writer. */
    @FuzzTest
    void toml(byte[] data) {
        InitDataDocument doc = refusedOr(() -> InitDataDocument.parse(data, LIMITS), InitDataException.class);
        if (doc != null) {
            check(Arrays.equals(doc.bytes(), data), "the document does not keep the exact bytes");
            accepted(doc);
        }
    }

    private static void accepted(InitDataDocument doc) {
        check(doc.initData().data().size() <= LIMITS.maxDataEntries(), "more [data] entries than the limit");
        InitDataDocument canonical = InitDataDocument.write(doc.initData());
        // default limits: escaping may make the canonical form longer than the input
        InitDataDocument reparsed = refusedOr(() -> InitDataDocument.parse(canonical.bytes(), DecodeLimits.DEFAULT),
                InitDataException.class);
        check(reparsed != null && reparsed.initData().equals(doc.initData()),
                "canonical re-serialisation does not round-trip: " + canonical.text());
        for (TeePlatform platform : TeePlatform.values()) {
            check(doc.teeFieldValue(platform).value().length == platform.fieldLength(),
                    "wrong field length for " + platform);
        }
    }

    static byte[] gzip(byte[] plain) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) {
            z.write(plain);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
