package io.cocoplane.bench;

import java.security.GeneralSecurityException;
import java.security.PublicKey;
import java.security.Signature;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.snp.SnpEvidence;
import io.cocoplane.teeevidence.snp.SnpFixtures;
import io.cocoplane.teeevidence.snp.SnpGeneration;
import io.cocoplane.teeevidence.snp.SnpReport;
import io.cocoplane.teeevidence.snp.SnpVerifier;

/**
 * Issue 4: full SNP evidence verification (parsed evidence carrying its VCEK; the ARK/ASK/VCEK chain is cached by
 * the verifier after the first call) beside the raw ECDSA P-384/SHA-384 verification of the same 0x2A0 signed bytes
 * with the JDK provider. The SNP figure includes the leaf's DER decoding, validity checks, TCB/chip-id/report-data
 * comparisons and the claims map. The PKI and the version-3 Genoa report come from {@link SnpFixtures}
 * (libs/tee-evidence's test-jar), the VCEK valid around the real clock.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class SnpVerifyBenchmark {

    private SnpVerifier verifier;
    private SnpEvidence evidence;
    private ExpectedValues expected;
    private PublicKey vcekKey;
    private byte[] report;
    private byte[] derSignature;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        SnpFixtures pki = new SnpFixtures(SnpGeneration.GENOA);
        SnpFixtures.Report spec = new SnpFixtures.Report();
        Instant now = Instant.now();
        SnpFixtures.Leaf vcek = pki.leaf(false, spec.chipId, spec.tcb, now.minus(1, ChronoUnit.DAYS),
                now.plus(30, ChronoUnit.DAYS));
        report = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        verifier = SnpVerifier.builder().trustAnchors(pki.anchors()).build();
        evidence = new SnpEvidence(SnpReport.parse(report),
                List.of(new SnpEvidence.CertEntry("VCEK", vcek.cert().getEncoded())));
        expected = ExpectedValues.reportData(spec.reportData);
        vcekKey = vcek.key().getPublic();
        Signature der = Signature.getInstance("SHA384withECDSA");
        der.initSign(vcek.key().getPrivate());
        der.update(report, 0, SnpReport.SIGNED_LENGTH);
        derSignature = der.sign();
        verifier.verify(evidence, expected); // fills the chain cache; fails the trial if the fixture is wrong
        if (!p384Verify()) {
            throw new IllegalStateException("raw P-384 verification of the fixture failed");
        }
    }

    @Benchmark
    public Claims snpVerify() throws EvidenceRefusedException {
        return verifier.verify(evidence, expected);
    }

    @Benchmark
    public boolean p384Verify() throws GeneralSecurityException {
        Signature s = Signature.getInstance("SHA384withECDSA");
        s.initVerify(vcekKey);
        s.update(report, 0, SnpReport.SIGNED_LENGTH);
        return s.verify(derSignature);
    }
}
