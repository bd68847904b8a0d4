package io.cocoplane.teeevidence;

import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;

import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.azure.AzSnpVtpmVerifier;
import io.cocoplane.teeevidence.azure.AzTdxVtpmVerifier;
import io.cocoplane.teeevidence.sample.SampleVerifier;
import io.cocoplane.teeevidence.snp.SnpEvidence;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.teeevidence.tdx.TdxQuote;
import io.cocoplane.teeevidence.tdx.TdxVerifier;

/**
 * Fuzz targets for the SNP report/evidence parser and the TDX quote parser. In regression mode (plain
 * {@code mvn verify}) Jazzer runs the empty input and every file under
 * {@code src/test/resources/io/cocoplane/teeevidence/EvidenceParserFuzzTestInputs/<method>/}. Any exception other than
 * a typed {@link EvidenceRefusedException} is a finding.
 */
class EvidenceParserFuzzTest {

    private static final SnpVerifier SNP = SnpVerifier.builder().build();
    private static final TdxVerifier TDX = TdxVerifier.builder().build();
    private static final List<EvidenceVerifier> JSON_VERIFIERS = List.of(SampleVerifier.enableForDevelopment(),
            new AzSnpVtpmVerifier(SNP), new AzTdxVtpmVerifier(TDX));

    @FuzzTest
    void snpReport(byte[] data) {
        try {
            SnpEvidence ev = SnpEvidence.parse(data);
            ev.report().reportedTcb();
            ev.report().signatureP1363();
        } catch (Malformed expected) {
            // typed refusal: fine
        }
        try {
            SNP.verify(data, ExpectedValues.none());
        } catch (EvidenceRefusedException expected) {
            // typed refusal: fine
        }
    }

    @FuzzTest
    void tdxQuote(byte[] data) {
        try {
            TdxQuote q = TdxQuote.parse(data);
            q.body();
            q.pckChainPem();
        } catch (Malformed expected) {
            // typed refusal: fine
        }
        try {
            TDX.verify(data, ExpectedValues.none());
        } catch (EvidenceRefusedException expected) {
            // typed refusal: fine
        }
    }

    /** The evidence JSON forms: SNP evidence JSON, sample evidence, Azure SNP and TDX vTPM evidence. */
    @FuzzTest
    void evidenceJson(byte[] data) {
        try {
            SnpEvidence.parseJson(data);
        } catch (Malformed expected) {
            // typed refusal: fine
        }
        for (EvidenceVerifier v : JSON_VERIFIERS) {
            try {
                v.verify(data, ExpectedValues.none());
            } catch (EvidenceRefusedException expected) {
                // typed refusal: fine
            }
        }
    }
}
