package io.cocoplane.transparencylog;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;

/**
 * Test oracle: the RFC 9162 §2.1 definitions (MTH, PATH, PROOF) and the draft-ietf-plants-merkle-tree-certs
 * SUBTREE_PROOF, written as the specs' recursive formulas over an explicit list of leaf hashes, with its own
 * SHA-256 calls. It shares no code with the tree under test.
 */
final class ReferenceMerkle {

    private ReferenceMerkle() {
    }

    static byte[] sha256(byte prefix, byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(prefix);
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    static byte[] leaf(byte[] entry) {
        return sha256((byte) 0, entry);
    }

    static byte[] entry(int i) {
        return ("entry-" + i).getBytes(StandardCharsets.UTF_8);
    }

    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(leaf(entry(i)));
        }
        return out;
    }

    /** Largest power of two strictly smaller than n (n >= 2). */
    static int split(int n) {
        int k = 1;
        while (k << 1 < n) {
            k <<= 1;
        }
        return k;
    }

    /** MTH(D[lo:hi]). */
    static byte[] mth(List<byte[]> d, int lo, int hi) {
        int n = hi - lo;
        if (n == 0) {
            try {
                return MessageDigest.getInstance("SHA-256").digest();
            } catch (NoSuchAlgorithmException e) {
                throw new AssertionError(e);
            }
        }
        if (n == 1) {
            return d.get(lo);
        }
        int k = split(n);
        return sha256((byte) 1, mth(d, lo, lo + k), mth(d, lo + k, hi));
    }

    /** PATH(m, D[lo:hi]), m relative to lo. */
    static List<byte[]> path(List<byte[]> d, int m, int lo, int hi) {
        List<byte[]> out = new ArrayList<>();
        int n = hi - lo;
        if (n == 1) {
            return out;
        }
        int k = split(n);
        if (m < k) {
            out.addAll(path(d, m, lo, lo + k));
            out.add(mth(d, lo + k, hi));
        } else {
            out.addAll(path(d, m - k, lo + k, hi));
            out.add(mth(d, lo, lo + k));
        }
        return out;
    }

    /** PROOF(m, D[n]) = SUBPROOF(m, D[n], true), RFC 9162 §2.1.4.1. */
    static List<byte[]> proof(List<byte[]> d, int m, int n) {
        return subproof(d, m, 0, n, true);
    }

    private static List<byte[]> subproof(List<byte[]> d, int m, int lo, int hi, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = hi - lo;
        if (m == n) {
            if (!b) {
                out.add(mth(d, lo, hi));
            }
            return out;
        }
        int k = split(n);
        if (m <= k) {
            out.addAll(subproof(d, m, lo, lo + k, b));
            out.add(mth(d, lo + k, hi));
        } else {
            out.addAll(subproof(d, m - k, lo + k, hi, false));
            out.add(mth(d, lo, lo + k));
        }
        return out;
    }

    /** SUBTREE_PROOF(start, end, D[n]) of draft-ietf-plants-merkle-tree-certs. */
    static List<byte[]> subtreeProof(List<byte[]> d, int start, int end, int n) {
        return subtreeSubproof(d, start, end, 0, n, true);
    }

    private static List<byte[]> subtreeSubproof(List<byte[]> d, int start, int end, int lo, int hi, boolean b) {
        List<byte[]> out = new ArrayList<>();
        int n = hi - lo;
        if (start == 0 && end == n) {
            if (!b) {
                out.add(mth(d, lo, hi));
            }
            return out;
        }
        int k = split(n);
        if (end <= k) {
            out.addAll(subtreeSubproof(d, start, end, lo, lo + k, b));
            out.add(mth(d, lo + k, hi));
        } else if (k <= start) {
            out.addAll(subtreeSubproof(d, start - k, end - k, lo + k, hi, b));
            out.add(mth(d, lo, lo + k));
        } else {
            out.addAll(subtreeSubproof(d, 0, end - k, lo + k, hi, false));
            out.add(mth(d, lo, lo + k));
        }
        return out;
    }

    /** Valid subtree per the draft: start < end and start a multiple of BIT_CEIL(end - start). */
    static boolean validSubtree(int start, int end) {
        if (start >= end) {
            return false;
        }
        int ceil = 1;
        while (ceil < end - start) {
            ceil <<= 1;
        }
        return start % ceil == 0;
    }

    static byte[] flipBit(byte[] h, int bit) {
        byte[] c = h.clone();
        c[(bit / 8) % c.length] ^= (byte) (1 << (bit % 8));
        return c;
    }

    static List<byte[]> withFlip(List<byte[]> proof, int element, int bit) {
        List<byte[]> c = new ArrayList<>(proof);
        c.set(element, flipBit(proof.get(element), bit));
        return c;
    }
}
