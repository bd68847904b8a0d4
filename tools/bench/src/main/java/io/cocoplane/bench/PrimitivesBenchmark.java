package io.cocoplane.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.cocoplane.kbsprotocol.HashAlgorithm;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.RuntimeDataHash;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import io.cocoplane.kbsprotocol.TeePubKey;
import io.cocoplane.ocicrypt.EncryptingLayerStream;
import io.cocoplane.ocicrypt.LayerCipher;
import io.cocoplane.ocicrypt.LayerEncryptionResult;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.tdx.TdxVerifier;
import io.cocoplane.testkit.SharedTestData;
import io.cocoplane.transparencylog.InMemoryNodeStore;
import io.cocoplane.transparencylog.MerkleTree;

/**
 * Issue 10: the primitives on the hot paths, each a JMH throughput benchmark (ops/s; the byte-stream ones process
 * {@link #LAYER_BYTES} per operation, so MiB/s = ops/s): TDX quote verification (a real v4 quote from
 * {@code shared/testdata/evidence/tdx/tdx_quote_4.dat} with Intel's embedded PCK chain, clock fixed at 2025-11-01 as
 * in its test); the KBS resource JWE (ECDH-ES+A256KW / A256GCM to a P-256 TEE key, 32-byte secret, serialised); the
 * JCS runtime-data hash (RFC 8785 canonical form of {nonce, tee-pubkey} then SHA-384); Merkle append (RFC 6962 leaf
 * into an in-memory tree, reset every iteration) and inclusion proof (random leaf of a 65,536-leaf tree); ocicrypt
 * layer encryption and decryption (AES-256-CTR + HMAC-SHA256, 1 MiB layer read to the end); SHA-256 of 1 MiB.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class PrimitivesBenchmark {

    /** Bytes per operation of the stream benchmarks: 1 MiB. */
    public static final int LAYER_BYTES = 1 << 20;
    /** Leaves of the tree the inclusion proofs come from. */
    static final int PROOF_TREE = 1 << 16;
    /** The real quote the TDX benchmark verifies, relative to {@code shared/testdata}. */
    static final String TDX_QUOTE = "evidence/tdx/tdx_quote_4.dat";

    private TdxVerifier tdx;
    private byte[] tdxQuote;
    private final JweCodec jwe = JweCodec.defaults();
    private TeePubKey teePubKey;
    private final byte[] secret = new byte[32];
    private final String nonce = "7h4bO3tbpBnt9n2Ypb5oQdj0wlL7uLNuSxw5-i-DRxs";
    private MerkleTree appendTree;
    private MerkleTree proofTree;
    private final byte[] entry = new byte[256];
    private final SplittableRandom random = new SplittableRandom(42);
    private byte[] layer;
    private byte[] ciphertext;
    private LayerEncryptionResult encrypted;
    private MessageDigest sha;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        var testdata = SharedTestData.root();
        if (testdata.isPresent() && Files.isRegularFile(testdata.get().resolve(TDX_QUOTE))) {
            tdxQuote = Files.readAllBytes(testdata.get().resolve(TDX_QUOTE));
            tdx = TdxVerifier.builder().clock(Clock.fixed(Instant.parse("2025-11-01T00:00:00Z"), ZoneOffset.UTC))
                    .build();
            tdxVerify(); // fails the trial if the quote does not verify
        }
        teePubKey = TeeKeyPair.generateEc().teePubKey();
        proofTree = new MerkleTree(new InMemoryNodeStore());
        for (int i = 0; i < PROOF_TREE; i++) {
            entry[0] = (byte) i;
            entry[1] = (byte) (i >>> 8);
            proofTree.append(entry);
        }
        layer = new byte[LAYER_BYTES];
        new SplittableRandom(7).nextBytes(layer);
        try (EncryptingLayerStream enc = LayerCipher.encrypt(new ByteArrayInputStream(layer))) {
            ciphertext = enc.readAllBytes();
            encrypted = enc.result();
        }
        if (ocicryptDecrypt() != layer.length) {
            throw new IllegalStateException("ocicrypt round trip lost bytes");
        }
        sha = MessageDigest.getInstance("SHA-256");
    }

    @Setup(Level.Iteration)
    public void freshAppendTree() {
        appendTree = new MerkleTree(new InMemoryNodeStore());
    }

    @Benchmark
    public Claims tdxVerify() throws EvidenceRefusedException {
        if (tdx == null) {
            throw new IllegalStateException("no " + TDX_QUOTE + " under shared/testdata (-D"
                    + SharedTestData.PROPERTY + "=DIR)");
        }
        return tdx.verify(tdxQuote, ExpectedValues.none());
    }

    @Benchmark
    public byte[] jweResponseBuild() {
        return jwe.encrypt(secret, teePubKey).toJsonBytes();
    }

    @Benchmark
    public byte[] jcsRuntimeDataHash() {
        return RuntimeDataHash.digest(HashAlgorithm.SHA384, RuntimeDataHash.primaryCanonical(nonce, teePubKey, ""));
    }

    @Benchmark
    public long merkleAppend() {
        entry[0] = (byte) random.nextInt();
        return appendTree.append(entry);
    }

    @Benchmark
    public List<byte[]> merkleInclusionProof() {
        return proofTree.inclusionProof(random.nextInt(PROOF_TREE), PROOF_TREE);
    }

    @Benchmark
    public long ocicryptEncrypt() throws IOException {
        try (EncryptingLayerStream enc = LayerCipher.encrypt(new ByteArrayInputStream(layer))) {
            return drain(enc);
        }
    }

    @Benchmark
    public long ocicryptDecrypt() throws Exception {
        try (InputStream dec = LayerCipher.decrypt(new ByteArrayInputStream(ciphertext), encrypted.privateOptions(),
                encrypted.publicOptions(), ciphertext.length)) {
            return drain(dec);
        }
    }

    @Benchmark
    public byte[] sha256() throws NoSuchAlgorithmException {
        sha.reset();
        return sha.digest(layer);
    }

    private static long drain(InputStream in) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long n = 0;
        for (int r; (r = in.read(buf)) >= 0; ) {
            n += r;
        }
        return n;
    }
}
