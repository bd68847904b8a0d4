package io.cocoplane.transparencylog;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;

import org.junit.jupiter.api.Test;

import io.cocoplane.testkit.SharedTestData;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The classic RFC 6962 reference tree over 8 leaves (shared/testdata/merkle/rfc6962-reference-tree.json): the tree
 * reproduces every leaf and interior node hash it stores, the root after each append, and every past root read back
 * from the stored nodes.
 */
class Rfc6962ReferenceTreeTest {

    private static final HexFormat HEX = HexFormat.of();

    @Test
    void reproducesRootsAndNodeHashes() throws IOException {
        Path file = SharedTestData.require("merkle/rfc6962-reference-tree.json");
        JsonNode ref = JsonMapper.builder().build().readTree(file);
        JsonNode leaves = ref.get("leafInputsHex");
        JsonNode roots = ref.get("rootHashesByTreeSize");
        assertThat(leaves.size()).isEqualTo(8);
        assertThat(roots.size()).isEqualTo(9);

        InMemoryNodeStore store = new InMemoryNodeStore();
        MerkleTree tree = new MerkleTree(store);
        assertThat(HEX.formatHex(tree.rootHash())).isEqualTo(roots.get(0).stringValue());
        for (int i = 0; i < leaves.size(); i++) {
            tree.append(HEX.parseHex(leaves.get(i).stringValue()));
            assertThat(HEX.formatHex(tree.rootHash())).as("root after %d appends", i + 1)
                    .isEqualTo(roots.get(i + 1).stringValue());
        }
        for (int size = 0; size <= 8; size++) {
            assertThat(HEX.formatHex(tree.rootHash(size))).as("root of past size %d", size)
                    .isEqualTo(roots.get(size).stringValue());
        }
        JsonNode levels = ref.get("nodeHashesByLevel");
        int checked = 0;
        for (int level = 0; level < levels.size(); level++) {
            JsonNode row = levels.get(level);
            for (int i = 0; i < row.size(); i++) {
                byte[] stored = store.get(level, i).orElseThrow();
                assertThat(HEX.formatHex(stored)).as("node (%d, %d)", level, i).isEqualTo(row.get(i).stringValue());
                assertThat(HEX.formatHex(tree.subtreeHash((long) i << level, (long) (i + 1) << level)))
                        .isEqualTo(row.get(i).stringValue());
                checked++;
            }
        }
        assertThat(checked).isEqualTo(15);
        assertThat(store.nodeCount()).isEqualTo(15);
        for (int i = 0; i < 8; i++) {
            assertThat(HEX.formatHex(tree.leafHash(i))).isEqualTo(levels.get(0).get(i).stringValue());
        }
    }

    @Test
    void reopenedTreeHasTheSameRoots() throws IOException {
        Path file = SharedTestData.require("merkle/rfc6962-reference-tree.json");
        JsonNode ref = JsonMapper.builder().build().readTree(file);
        InMemoryNodeStore store = new InMemoryNodeStore();
        MerkleTree first = new MerkleTree(store);
        for (int i = 0; i < 5; i++) {
            first.append(HEX.parseHex(ref.get("leafInputsHex").get(i).stringValue()));
        }
        MerkleTree reopened = MerkleTree.open(store, 5);
        for (int i = 5; i < 8; i++) {
            reopened.append(HEX.parseHex(ref.get("leafInputsHex").get(i).stringValue()));
            assertThat(HEX.formatHex(reopened.rootHash()))
                    .isEqualTo(ref.get("rootHashesByTreeSize").get(i + 1).stringValue());
        }
    }
}
