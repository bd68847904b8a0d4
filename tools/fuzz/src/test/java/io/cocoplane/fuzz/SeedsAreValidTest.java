package io.cocoplane.fuzz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.Response;
import io.cocoplane.kbsprotocol.TeePubKey;
import io.cocoplane.ocicrypt.KeyProviderPacket;
import io.cocoplane.ocicrypt.ManifestInspector;
import io.cocoplane.ocicrypt.OcicryptLayers;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.azure.AzSnpVtpmVerifier;
import io.cocoplane.teeevidence.azure.AzTdxVtpmVerifier;
import io.cocoplane.teeevidence.azure.HclReport;
import io.cocoplane.teeevidence.azure.TpmQuote;
import io.cocoplane.teeevidence.sample.SampleVerifier;
import io.cocoplane.teeevidence.snp.SnpEvidence;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.teeevidence.tdx.CcEventLog;
import io.cocoplane.teeevidence.tdx.TdxQuote;
import io.cocoplane.teeevidence.tdx.TdxVerifier;
import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.MerkleProofs;
import io.cocoplane.transparencylog.NoteLimits;
import io.cocoplane.transparencylog.SignedNote;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed seeds reach the accepting path of their parser: a seed that the parser refuses only exercises the
 * first check, so a format change that invalidates the seeds must fail here rather than silently weaken the fuzzing.
 * Crash inputs ({@code crash-*}, expected to be refused) are not checked here; the fuzz targets replay them.
 */
class SeedsAreValidTest {

    interface Check {
        void accept(byte[] seed) throws Exception;
    }

    static void eachSeed(Class<?> target, String method, Check check) throws Exception {
        List<Path> seeds = seeds(target, method);
        assertThat(seeds).as("seeds of %s#%s", target.getSimpleName(), method).isNotEmpty();
        for (Path p : seeds) {
            try {
                check.accept(Files.readAllBytes(p));
            } catch (Exception | AssertionError e) {
                throw new AssertionError("seed " + p.getFileName() + " of " + method + " is not accepted: " + e, e);
            }
        }
    }

    static List<Path> seeds(Class<?> target, String method) throws IOException, URISyntaxException {
        var url = target.getResource(target.getSimpleName() + "Inputs/" + method);
        if (url == null) {
            return List.of();
        }
        try (Stream<Path> s = Files.list(Path.of(url.toURI()))) {
            return s.filter(p -> !p.getFileName().toString().startsWith("crash-")).sorted().toList();
        }
    }

    @Test
    void teeEvidenceSeedsParse() throws Exception {
        Class<?> t = TeeEvidenceFuzzTest.class;
        eachSeed(t, "snpReport", d -> assertThat(SnpEvidence.parse(d).report().toBytes()).isEqualTo(d));
        eachSeed(t, "snpEvidence", d -> assertThat(SnpEvidence.parse(d).report().version()).isIn(3, 5));
        eachSeed(t, "tdxQuote", d -> assertThat(TdxQuote.parse(TdxVerifier.quoteBytes(d)).version()).isIn(4, 5));
        eachSeed(t, "ccEventLog", d -> assertThat(CcEventLog.parse(d).replayRtmrs()).hasNumberOfRows(4));
        eachSeed(t, "azureTpmQuote", d -> {
            List<byte[]> parts = Frames.split(d, 2);
            assertThat(TpmQuote.parse(parts.get(0), parts.get(1), Collections.nCopies(24, new byte[32]))
                    .selectedPcrs()).hasSize(24);
        });
        eachSeed(t, "azureHclReport", d -> assertThat(HclReport.parse(d).attestationKey().getAlgorithm())
                .isEqualTo("RSA"));
        eachSeed(t, "sampleEvidence", d -> assertThat(SampleVerifier.enableForDevelopment()
                .verify(d, ExpectedValues.none()).get("svn")).isEqualTo("1"));
        // The Azure seeds pass the TPM quote signature, nonce, HCL variable-data and user-data bindings and are
        // refused only by the hardware-report stage (random VCEK / dummy PCK chain): the fuzzer starts deep.
        SnpVerifier snp = SnpVerifier.builder().build();
        eachSeed(t, "azureEvidence", d -> assertThatThrownBy(() -> (d.length > 0 && new String(d,
                StandardCharsets.UTF_8).contains("td_quote") ? new AzTdxVtpmVerifier(TdxVerifier.builder().build())
                        : new AzSnpVtpmVerifier(snp)).verify(d, ExpectedValues.reportData(TeeEvidenceFuzzTest.AZURE_NONCE)))
                .isInstanceOfAny(EvidenceRefusedException.Malformed.class, EvidenceRefusedException.ChainInvalid.class)
                .hasMessageNotContaining("TPM").hasMessageNotContaining("HCL"));
    }

    @Test
    void kbsProtocolSeedsParse() throws Exception {
        Class<?> t = KbsProtocolFuzzTest.class;
        eachSeed(t, "jweResponse", d -> assertThat(KbsProtocolFuzzTest.TEE_KEY.decrypt(Response.parse(d),
                JweCodec.defaults())).asString(StandardCharsets.UTF_8).isEqualTo("a resource"));
        eachSeed(t, "teePubKey", d -> assertThat(TeePubKey.fromJson(JsonMapper.builder().build().readTree(d))
                .toPublicKey()).isNotNull());
        List<Path> rcar = seeds(t, "rcarMessage");
        assertThat(rcar).extracting(p -> p.getFileName().toString())
                .contains("request.json", "challenge.json", "attestation.json", "attest-response.json", "error.json");
        eachSeed(t, "rcarMessage", d -> assertThat(parsesAsOne(d)).isEqualTo(1));
    }

    /** @return how many of the RCAR parsers accept {@code d} */
    private static int parsesAsOne(byte[] d) {
        int n = 0;
        for (Outcome.Parser<?> p : List.<Outcome.Parser<?>>of(io.cocoplane.kbsprotocol.Request::parse,
                io.cocoplane.kbsprotocol.Challenge::parse, io.cocoplane.kbsprotocol.Attestation::parse,
                io.cocoplane.kbsprotocol.AttestResponse::parse, io.cocoplane.kbsprotocol.ErrorInformation::parse)) {
            n += Outcome.refusedOr(() -> p.parse(d), io.cocoplane.kbsprotocol.KbsProtocolException.class) != null ? 1 : 0;
        }
        return n;
    }

    @Test
    void initDataSeedsParse() throws Exception {
        eachSeed(InitDataFuzzTest.class, "toml", d -> assertThat(InitDataDocument.parse(d).bytes()).isEqualTo(d));
        List<Path> annotation = seeds(InitDataFuzzTest.class, "annotation");
        assertThat(annotation).hasSize(3);
        byte[] first = Files.readAllBytes(annotation.get(0));
        assertThat(first[0]).isEqualTo((byte) InitDataFuzzTest.Layer.ANNOTATION.ordinal());
        assertThat(InitDataAnnotation.decode(new String(first, 1, first.length - 1, StandardCharsets.ISO_8859_1))
                .initData().data()).containsKey("policy.rego");
    }

    @Test
    void ocicryptSeedsParse() throws Exception {
        Class<?> t = OcicryptFuzzTest.class;
        eachSeed(t, "manifest", d -> assertThat(ManifestInspector.inspect(d).layers()).hasSize(1));
        eachSeed(t, "keyProviderPacket", d -> assertThat(KeyProviderPacket.parse(d).kid()).isEqualTo(FixedKeys.KID));
        eachSeed(t, "layerAnnotations", d -> assertThat(OcicryptLayers.decrypt(new java.io.ByteArrayInputStream(
                OcicryptFuzzTest.LAYER.ciphertext()), OcicryptFuzzTest.stringMap(d), -1, OcicryptFuzzTest.KEYS)
                .readAllBytes()).isEqualTo(OcicryptFuzzTest.LAYER_PLAINTEXT));
    }

    @Test
    void eventingSeedsDecode() throws Exception {
        CloudEventCodec codec = new CloudEventCodec(JsonMapper.builder().build(), EventingFuzzTest.MAX_RECORD_BYTES);
        eachSeed(EventingFuzzTest.class, "cloudEventRecord", d -> assertThat(codec.decode(EventingFuzzTest.record(
                Frames.split(d, 66)))).isPresent());
    }

    @Test
    void transparencyLogSeedsVerify() throws Exception {
        Class<?> t = TransparencyLogFuzzTest.class;
        eachSeed(t, "signedCheckpoint", d -> assertThat(Checkpoint.verify(d, TransparencyLogFuzzTest.ORIGIN,
                NoteLimits.DEFAULT, TransparencyLogFuzzTest.LOG_KEY.verifier()).treeSize()).isEqualTo(7));
        eachSeed(t, "checkpointBody", d -> assertThat(Checkpoint.parse(new String(d, StandardCharsets.UTF_8))
                .origin()).isEqualTo(TransparencyLogFuzzTest.ORIGIN));
        eachSeed(t, "proofVerification", d -> {
            List<byte[]> p = Frames.split(d, 76);
            long a = Frames.toLong(p.get(1));
            long b = Frames.toLong(p.get(2));
            long c = Frames.toLong(p.get(3));
            List<byte[]> path = p.subList(6, p.size());
            switch (p.get(0)[0]) {
                case 0 -> MerkleProofs.verifyInclusion(a, b, p.get(4), path, p.get(5));
                case 1 -> MerkleProofs.verifyConsistency(a, b, p.get(4), p.get(5), path);
                case 2 -> MerkleProofs.verifySubtreeInclusion(a, b, c, p.get(4), path, p.get(5));
                default -> MerkleProofs.verifySubtreeConsistency(a, b, c, p.get(4), p.get(5), path);
            }
        });
        eachSeed(t, "honestProofs", d -> assertThat(Frames.split(d, 65)).hasSize(8));
        assertThat(SignedNote.parse(Files.readAllBytes(seeds(t, "signedCheckpoint").get(0))).signatures()).isNotEmpty();
    }
}
