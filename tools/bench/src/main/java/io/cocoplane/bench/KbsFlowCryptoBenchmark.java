package io.cocoplane.bench;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.TeeKeyPair;

/**
 * Issue 5: the public-key operations one key broker flow cannot do without, each alone on one thread with the JDK
 * provider (what the services use), so the harness can state the flow rate these cores allow for the cryptography
 * alone. Per flow: the guest signs its SNP report (ECDSA P-384, {@link #p384Sign}); the attestation service verifies
 * it ({@link SnpVerifyBenchmark#p384Verify}) and signs the EAR token (ES256 over an EAR-sized payload,
 * {@link #earSign}); the key broker verifies that token ({@link #earVerify}) and encrypts the secret to the TEE key
 * (ECDH-ES + A256KW / A256GCM on P-256, {@link #jweEncrypt}); the guest decrypts it ({@link #jweDecrypt}).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class KbsFlowCryptoBenchmark {

    /** A payload the size of the attestation service's EAR for an SNP report (claims, annotated evidence), bytes. */
    static final int EAR_PAYLOAD_BYTES = 4096;

    private KeyPair vcek;
    private byte[] report;
    private ECKey earKey;
    private ECDSAVerifier earVerifier;
    private Payload earPayload;
    private String earToken;
    private final JweCodec jwe = JweCodec.defaults();
    private TeeKeyPair tee;
    private byte[] secret;
    private Response response;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp384r1"));
        vcek = g.generateKeyPair();
        report = new byte[0x2A0];
        Arrays.fill(report, (byte) 0x5a);
        earKey = new ECKeyGenerator(Curve.P_256).keyID("bench").generate();
        earVerifier = new ECDSAVerifier(earKey.toECPublicKey());
        char[] claims = new char[EAR_PAYLOAD_BYTES - 16];
        Arrays.fill(claims, 'c');
        earPayload = new Payload(("{\"claims\":\"" + new String(claims) + "\"}").getBytes(StandardCharsets.UTF_8));
        earToken = earSign();
        if (!earVerify()) {
            throw new IllegalStateException("EAR signature does not verify");
        }
        tee = TeeKeyPair.generateEc();
        secret = "a 32-byte image KEK, more or less".getBytes(StandardCharsets.UTF_8);
        response = jweEncrypt();
        if (!Arrays.equals(jweDecrypt(), secret)) {
            throw new IllegalStateException("JWE round trip differs");
        }
    }

    @Benchmark
    public byte[] p384Sign() throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA384withECDSAinP1363Format");
        s.initSign(vcek.getPrivate());
        s.update(report);
        return s.sign();
    }

    @Benchmark
    public String earSign() throws JOSEException {
        JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.ES256).type(JOSEObjectType.JWT)
                .keyID(earKey.getKeyID()).build(), earPayload);
        jws.sign(new ECDSASigner(earKey));
        return jws.serialize();
    }

    @Benchmark
    public boolean earVerify() throws Exception {
        return JWSObject.parse(earToken).verify(earVerifier);
    }

    @Benchmark
    public Response jweEncrypt() {
        return jwe.encrypt(secret, tee.teePubKey());
    }

    @Benchmark
    public byte[] jweDecrypt() {
        return tee.decrypt(response, jwe);
    }
}
