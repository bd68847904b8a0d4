package io.cocoplane.audit;

import java.time.Instant;
import java.util.List;

/**
 * The result of one integrity check ({@link IntegrityChecker}).
 *
 * @param ok                 true when every check passed
 * @param treeSize           the committed tree size checked
 * @param rootHash           base64 of the root recomputed from the stored leaves
 * @param leavesChecked      leaves re-hashed
 * @param nodesChecked       stored tree nodes compared with the recomputed ones
 * @param checkpointsChecked stored checkpoints whose root and signature were checked
 * @param problems           what differs, at most 100 messages (empty when ok)
 * @param startedAt          start of the check
 * @param finishedAt         end of the check
 */
public record IntegrityReport(boolean ok, long treeSize, String rootHash, long leavesChecked, long nodesChecked,
                              long checkpointsChecked, List<String> problems, Instant startedAt, Instant finishedAt) {

    /** Copies the problem list. */
    public IntegrityReport {
        problems = List.copyOf(problems);
    }
}
