package io.cocoplane.attestation;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateEncodingException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.List;

import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.azure.AzureFixtures;
import io.cocoplane.teeevidence.snp.SnpEvidence;
import io.cocoplane.teeevidence.snp.SnpFixtures;
import io.cocoplane.teeevidence.snp.SnpGeneration;

/**
 * SNP evidence signed by a private test PKI ({@link SnpFixtures} from libs/tee-evidence's test-jar): a Genoa test ARK
 * and its ASK (written as PEM for {@code cocoplane.attestation.snp.additional-trust-anchors}), and a VCEK valid around
 * the real clock (the service verifies with the system clock). The evidence is sev's JSON form with {@code cert_chain}
 * = ASK, VCEK, as a host's extended report carries it.
 *
 * <p>Report values: measurement {@code 22…22}, chip_id {@code 44…44}, reported TCB bl 10 / tee 0 / snp 23 / ucode 25,
 * policy {@code 0x30000} (ABI 0.0, SMT allowed, no debug, no migration agent, not single-socket), platform info
 * {@code 0x25} (SMT enabled, TSME off), VMPL 0, version 3.
 */
final class SyntheticSnp {

    static final SnpFixtures PKI = new SnpFixtures(SnpGeneration.GENOA);
    static final String MEASUREMENT = "22".repeat(48);
    static final String CHIP_ID = "44".repeat(64);

    private SyntheticSnp() {
    }

    /**
     * Writes the test ARK and its ASK as PEM and returns the file (the ASK is needed for {@code az-snp-vtpm}, whose
     * evidence carries only the VCEK; plain SNP evidence brings its ASK itself).
     */
    static Path writeAnchorPem(Path dir) throws Exception {
        Path f = dir.resolve("test-ark-genoa.pem");
        Files.writeString(f, Certificates.toPem(PKI.ark()) + Certificates.toPem(PKI.ask()), StandardCharsets.US_ASCII);
        return f;
    }

    static SnpFixtures.Leaf freshVcek(SnpFixtures.Report spec) {
        Instant now = Instant.now();
        return PKI.leaf(false, spec.chipId, spec.tcb, now.minus(1, ChronoUnit.DAYS), now.plus(30, ChronoUnit.DAYS));
    }

    /**
     * @param reportData the runtime-data digest (zero-padded to 64 bytes into REPORT_DATA)
     * @param hostData the init-data digest (zero-padded or truncated to 32 bytes into HOST_DATA)
     * @return the evidence JSON bytes
     */
    static byte[] evidence(byte[] reportData, byte[] hostData) {
        SnpFixtures.Report spec = new SnpFixtures.Report();
        spec.reportData = Arrays.copyOf(reportData, 64);
        spec.hostData = Arrays.copyOf(hostData, 32);
        SnpFixtures.Leaf vcek = freshVcek(spec);
        byte[] report = SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        try {
            return SnpFixtures.SerdeJson.of(report, List.of(
                    new SnpEvidence.CertEntry("ASK", PKI.ask().getEncoded()),
                    new SnpEvidence.CertEntry("VCEK", vcek.cert().getEncoded()))).getBytes(StandardCharsets.UTF_8);
        } catch (CertificateEncodingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Synthetic {@code az-snp-vtpm} evidence (version 2) whose SNP report is signed by the test PKI.
     *
     * @param nonce the TPM quote's {@code extraData} and the HCL {@code user-data} prefix
     * @param pcr8 the PCR8 value quoted
     * @return the evidence JSON bytes
     */
    static byte[] azureEvidence(byte[] nonce, byte[] pcr8) throws Exception {
        SnpFixtures.Report spec = new SnpFixtures.Report();
        AzureFixtures az = new AzureFixtures(spec, freshVcek(spec));
        az.pcrs[8] = pcr8;
        return az.evidence(nonce, AzureFixtures.userData(nonce), false).getBytes(StandardCharsets.UTF_8);
    }
}
