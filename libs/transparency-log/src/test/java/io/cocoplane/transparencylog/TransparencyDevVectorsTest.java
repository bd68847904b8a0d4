package io.cocoplane.transparencylog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs every proof probe of transparency-dev/merkle {@code testdata/} (shared/testdata/merkle/transparency-dev-merkle,
 * see its MANIFEST): one dynamic test per JSON file. A {@code wantErr:false} probe must verify; a {@code wantErr:true}
 * probe must be rejected with {@link InvalidProofException}. The factory fails unless it found all 518 files, so a
 * missing directory cannot pass silently.
 */
class TransparencyDevVectorsTest {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final List<String> KINDS = List.of("inclusion", "consistency", "subtreeinclusion",
            "subtreeconsistency");

    @TestFactory
    Stream<DynamicTest> everyProbe() throws IOException {
        Path root = SharedTestData.require("merkle/transparency-dev-merkle");
        List<DynamicTest> tests = new ArrayList<>();
        int[] perKind = new int[KINDS.size()];
        for (int k = 0; k < KINDS.size(); k++) {
            String kind = KINDS.get(k);
            Path dir = root.resolve(kind);
            assertThat(dir).as("vector directory %s", kind).isDirectory();
            List<Path> files;
            try (Stream<Path> walk = Files.walk(dir)) {
                files = walk.filter(p -> Files.isRegularFile(p) && p.getFileName().toString().endsWith(".json"))
                        .sorted().toList();
            }
            perKind[k] = files.size();
            for (Path file : files) {
                String name = kind + "/" + dir.relativize(file);
                tests.add(DynamicTest.dynamicTest(name, file.toUri(), () -> runProbe(kind, file)));
            }
        }
        // Counts from the MANIFEST table: 98 + 98 + 204 + 118.
        assertThat(perKind).containsExactly(98, 98, 204, 118);
        assertThat(tests).hasSize(518);
        return tests.stream();
    }

    private static void runProbe(String kind, Path file) throws IOException {
        JsonNode v = JSON.readTree(file);
        boolean wantErr = v.get("wantErr").booleanValue();
        List<byte[]> proof = hashes(v.get("proof"));
        ThrowingCallable verify = switch (kind) {
            case "inclusion" -> () -> MerkleProofs.verifyInclusion(u64(v, "leafIdx"), u64(v, "treeSize"),
                    b64(v, "leafHash"), proof, b64(v, "root"));
            case "consistency" -> () -> MerkleProofs.verifyConsistency(u64(v, "size1"), u64(v, "size2"),
                    b64(v, "root1"), b64(v, "root2"), proof);
            case "subtreeinclusion" -> () -> MerkleProofs.verifySubtreeInclusion(u64(v, "leafIdx"),
                    u64(v, "start"), u64(v, "end"), b64(v, "leafHash"), proof, b64(v, "root"));
            case "subtreeconsistency" -> () -> MerkleProofs.verifySubtreeConsistency(u64(v, "start"),
                    u64(v, "end"), u64(v, "size"), b64(v, "root1"), b64(v, "root2"), proof);
            default -> throw new IllegalArgumentException(kind);
        };
        String desc = v.get("desc").stringValue();
        if (wantErr) {
            assertThatThrownBy(verify).as("%s must be rejected", desc).isInstanceOf(InvalidProofException.class);
        } else {
            assertThatCode(verify).as("%s must verify", desc).doesNotThrowAnyException();
        }
    }

    /** A Go uint64 as the same 64 bits in a Java long: values >= 2^63 become negative (and are rejected). */
    private static long u64(JsonNode v, String field) {
        BigInteger b = v.get(field).bigIntegerValue();
        assertThat(b.signum()).isNotNegative();
        assertThat(b.bitLength()).as("%s fits in 64 bits", field).isLessThanOrEqualTo(64);
        return b.longValue();
    }

    private static byte[] b64(JsonNode v, String field) {
        return Base64.getDecoder().decode(v.get(field).stringValue());
    }

    private static List<byte[]> hashes(JsonNode arr) {
        List<byte[]> out = new ArrayList<>();
        if (arr != null && !arr.isNull()) {
            for (JsonNode n : arr) {
                out.add(Base64.getDecoder().decode(n.stringValue()));
            }
        }
        return out;
    }
}
