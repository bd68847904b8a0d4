package io.cocoplane.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import javax.crypto.Cipher;
import javax.crypto.KeyAgreement;
import javax.crypto.Mac;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

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
import io.cocoplane.transparencylog.MerkleHashes;
import io.cocoplane.transparencylog.MerkleProofs;
import io.cocoplane.transparencylog.MerkleTree;


/**
 * Issue 10: the primitives on the hot paths, each a JMH throughput benchmark (ops/s; the byte-stream ones process
 * {@link #LAYER_BYTES} per operation, so MiB/s = ops/s): TDX quote verification (a real v4 quote from
 * {@code shared/testdata/evidence/tdx/tdx_quote_4.dat} with Intel's embedded PCK chain, clock fixed at 2025-11-01 as
 * in its test); the KBS resource JWE (ECDH-ES+A256KW / A256GCM to a P-256 TEE key, 32-byte secret, serialised); the
 * JCS runtime-data hash (RFC 8785 canonical form of {nonce, tee-pubkey} then SHA-384); Merkle append (RFC 6962 leaf
 * into an in-memory tree, reset every iteration) and inclusion proof (random leaf of a 65,536-leaf tree); ocicrypt
 * layer encryption and decryption (AES-256-CTR + HMAC-SHA256, 1 MiB layer read to the end); SHA-256 of 1 MiB.
 *
 * <p>Beside them, the limits those figures are compared with, each the bare JDK primitive the figure is made of
 * ({@code limit*} methods): P-256 verify (a TDX quote needs {@value #TDX_SIGNATURES}), an ephemeral P-256 key pair and
 * its ECDH agreement (the public-key part of the JWE), SHA-384 of the already canonical runtime data, the two SHA-256
 * hashes an append costs on average (leaf, and one inner node amortised), an inclusion proof's verification (the
 * client's cost of the proof the log serves), AES-256-CTR and HMAC-SHA256 of 1 MiB (ocicrypt's layer cipher; with
 * {@link #sha256} for the digests the layer streams also compute).
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
    /** P-256 verifications in one TDX quote check: PCK chain (2), QE report (1), quote (1). */
    static final int TDX_SIGNATURES = 4;
    /** Bytes per update in the stream limits: the layer streams' 64 KiB buffer. */
    static final int CHUNK = 64 * 1024;
    /** Bytes a P-256 signature covers in {@link #limitP256Verify}: about a v4 quote's header and body. */
    static final int SIGNED_BYTES = 632;

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
    private Signature p256;
    private KeyPair p256Key;
    private byte[] signedData;
    private byte[] p256Signature;
    private KeyPairGenerator p256Generator;
    private String canonicalRuntimeData;
    private final List<List<byte[]>> proofs = new ArrayList<>();
    private final List<byte[]> proofLeaves = new ArrayList<>();
    private final long[] proofIndexes = new long[256];
    private byte[] proofRoot;
    private Cipher aesCtr;
    private Mac hmac;
    private final byte[] out = new byte[LAYER_BYTES];

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
        setUpLimits();
    }

    private void setUpLimits() throws Exception {
        p256Generator = KeyPairGenerator.getInstance("EC");
        p256Generator.initialize(new ECGenParameterSpec("secp256r1"));
        p256Key = p256Generator.generateKeyPair();
        signedData = new byte[SIGNED_BYTES];
        new SplittableRandom(11).nextBytes(signedData);
        p256 = Signature.getInstance("SHA256withECDSAinP1363Format");
        p256.initSign(p256Key.getPrivate());
        p256.update(signedData);
        p256Signature = p256.sign();
        if (!limitP256Verify()) {
            throw new IllegalStateException("P-256 signature does not verify");
        }
        canonicalRuntimeData = RuntimeDataHash.primaryCanonical(nonce, teePubKey, "");
        proofRoot = proofTree.rootHash();
        SplittableRandom r = new SplittableRandom(3);
        for (int i = 0; i < proofIndexes.length; i++) {
            proofIndexes[i] = r.nextInt(PROOF_TREE);
            proofs.add(proofTree.inclusionProof(proofIndexes[i], PROOF_TREE));
            entry[0] = (byte) proofIndexes[i];
            entry[1] = (byte) (proofIndexes[i] >>> 8);
            proofLeaves.add(MerkleHashes.leafHash(entry));
        }
        limitMerkleProofVerify(); // throws when a proof does not lead to the root
        aesCtr = Cipher.getInstance("AES/CTR/NoPadding");
        aesCtr.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new IvParameterSpec(new byte[16]));
        // many short calls get CounterMode's AES-NI stub compiled within a short warm-up; few 64 KiB calls took
        // seconds of interpreted block-by-block AES before C2 compiled it (quick mode measured 4 % of the real rate)
        for (int i = 0; i < 20_000; i++) {
            aesCtr.update(layer, 0, 64, out, 0);
        }
        hmac = Mac.getInstance("HmacSHA256");
        hmac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
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

    /** Limit of {@link #tdxVerify}: one of its {@value #TDX_SIGNATURES} P-256 verifications (JDK). */
    @Benchmark
    public boolean limitP256Verify() throws GeneralSecurityException {
        p256.initVerify(p256Key.getPublic());
        p256.update(signedData);
        return p256.verify(p256Signature);
    }

    /** Limit of {@link #jweResponseBuild}: the ephemeral P-256 key pair and ECDH agreement of ECDH-ES (JDK). */
    @Benchmark
    public byte[] limitEphemeralEcdh() throws GeneralSecurityException {
        KeyPair ephemeral = p256Generator.generateKeyPair();
        KeyAgreement ka = KeyAgreement.getInstance("ECDH");
        ka.init(ephemeral.getPrivate());
        ka.doPhase(p256Key.getPublic(), true);
        return ka.generateSecret();
    }

    /** Limit of {@link #jcsRuntimeDataHash}: SHA-384 of the runtime data already in canonical form. */
    @Benchmark
    public byte[] limitSha384Canonical() {
        return RuntimeDataHash.digest(HashAlgorithm.SHA384, canonicalRuntimeData);
    }

    /** Limit of {@link #merkleAppend}: the leaf hash and the one inner-node hash an append costs on average. */
    @Benchmark
    public byte[] limitMerkleAppendHashes() {
        entry[0] = (byte) random.nextInt();
        byte[] leaf = MerkleHashes.leafHash(entry);
        return MerkleHashes.nodeHash(leaf, leaf);
    }

    /** Peer of {@link #merkleInclusionProof}: verifying a served proof (RFC 9162 §2.1.3.2), the client's cost. */
    @Benchmark
    public byte[] limitMerkleProofVerify() {
        int i = random.nextInt(proofIndexes.length);
        MerkleProofs.verifyInclusion(proofIndexes[i], PROOF_TREE, proofLeaves.get(i), proofs.get(i), proofRoot);
        return proofRoot;
    }

    /**
     * Part of the limit of the ocicrypt benchmarks: AES-256-CTR of 1 MiB (JDK), in {@link #CHUNK} updates as the layer
     * streams do (one 1 MiB call runs too few times for the JIT to reach the AES-NI stub within the warm-up).
     */
    @Benchmark
    public byte[] limitAes256Ctr() throws GeneralSecurityException {
        for (int off = 0; off < layer.length; off += CHUNK) {
            aesCtr.update(layer, off, CHUNK, out, off);
        }
        return out;
    }

    /** Part of the limit of the ocicrypt benchmarks: HMAC-SHA256 of 1 MiB (JDK), in {@link #CHUNK} updates. */
    @Benchmark
    public byte[] limitHmacSha256() {
        for (int off = 0; off < layer.length; off += CHUNK) {
            hmac.update(layer, off, CHUNK);
        }
        return hmac.doFinal();
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
