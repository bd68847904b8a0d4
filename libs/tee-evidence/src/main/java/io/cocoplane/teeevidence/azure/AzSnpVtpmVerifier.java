package io.cocoplane.teeevidence.azure;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.SignatureInvalid;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Json;
import io.cocoplane.teeevidence.Tee;
import io.cocoplane.teeevidence.snp.SnpEvidence;
import io.cocoplane.teeevidence.snp.SnpReport;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Verifier for {@code az-snp-vtpm} evidence: an Azure SEV-SNP CVM whose paravisor (HCL) binds a vTPM to the SNP report
 * ({@code kbs-attestation.md} §8; trustee {@code deps/verifier/src/az_snp_vtpm}).
 *
 * <p>Evidence forms: v0 {@code {"quote":{"signature":[bytes],"message":[bytes],"pcrs":[[bytes]×24]},
 * "report":[HCL bytes],"vcek":"<PEM>"}}; v1/v2 {@code {"version":1|2,"tpm_quote":{"signature":hex,"message":hex,
 * "pcrs":[hex×24]},"hcl_report":"<base64url>","vcek":"<base64url DER>"}}.
 *
 * <p>Checks, in order: an expected report data is required ({@link PolicyViolation} {@code report_data}); parse
 * ({@link Malformed}); TPM quote RSASSA-PKCS1-v1_5 SHA-256 signature by {@code HCLAkPub} from the HCL variable data
 * and PCR digest ({@link SignatureInvalid}); TPM {@code extraData} equals the expected report data exactly
 * ({@link ReportDataMismatch}); SHA-256(variable data) equals SNP {@code report_data[0:32]} ({@link SignatureInvalid}
 * {@code hcl_var_data}); v2: {@code user-data} starts with the expected report data ({@link ReportDataMismatch}); the
 * SNP report through {@link SnpVerifier} with the evidence's VCEK (chain, signature, TCB, chip id, signing key,
 * VMPL 0); init-data: PCR8 must equal SHA-256(0³² ‖ digest), and only a 32-byte digest can match — a 48/64-byte digest
 * is refused with {@link InitDataMismatch} instead of trustee's panic (hazard §10.8).
 *
 * <p>Claims (trustee's Azure encoding): the SNP claim names with <em>every value a string</em> and
 * {@code measurement} as standard base64, plus {@code tpm} = {@code {"pcr00": hex, …, "pcr23": hex}};
 * {@link Claims#reportData()} is the hex of the TPM nonce and {@link Claims#initData()} the hex of PCR8.
 */
public final class AzSnpVtpmVerifier implements EvidenceVerifier {

    private final SnpVerifier snp;

    /**
     * @param snp the SNP verifier used for the embedded report (its VMPL, versions, anchors and clock apply)
     */
    public AzSnpVtpmVerifier(SnpVerifier snp) {
        this.snp = Objects.requireNonNull(snp);
    }

    /** {@inheritDoc} */
    @Override
    public Tee tee() {
        return Tee.AZ_SNP_VTPM;
    }

    /** {@inheritDoc} See the class documentation for the checks, their order and the exception of each. */
    @Override
    public Claims verify(byte[] evidence, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(evidence, "evidence");
        byte[] nonce = expected.reportData();
        if (nonce == null) {
            throw new PolicyViolation("report_data", "az-snp-vtpm evidence needs an expected report data");
        }
        JsonNode root = Json.parseObject(evidence);
        AzureVtpm.Parsed parsed = AzureVtpm.quote(root, "quote");
        HclReport hcl;
        byte[] vcekDer;
        if (parsed.version() > 0) {
            hcl = HclReport.parse(AzureVtpm.b64url(Json.string(root, "hcl_report")));
            vcekDer = AzureVtpm.b64url(Json.string(root, "vcek"));
        } else {
            hcl = HclReport.parse(AzureVtpm.bytes(Json.required(root, "report"), "report", HclReport.MAX_SIZE));
            try {
                vcekDer = Certificates.fromPem(Json.string(root, "vcek").getBytes(StandardCharsets.US_ASCII), "vcek")
                        .get(0).getEncoded();
            } catch (java.security.cert.CertificateEncodingException e) {
                throw new Malformed("vcek cannot be encoded", -1, e);
            }
        }
        if (hcl.reportType() != 2) {
            throw new Malformed("HCL report is not an SNP report", 0x4C8);
        }
        SnpReport report = SnpReport.parse(hcl.snpReport());
        TpmQuote quote = parsed.quote();
        AzureVtpm.checkTpmAndHcl(parsed, hcl, report.reportData(), nonce);
        Claims snpClaims = snp.verify(new SnpEvidence(report, List.of(new SnpEvidence.CertEntry("VCEK", vcekDer))),
                ExpectedValues.none());
        AzureVtpm.checkInitData(quote, expected.initDataDigest());
        byte[] pcr8 = quote.pcrs().get(8);
        Map<String, Object> c = new LinkedHashMap<>();
        for (var e : snpClaims.teeClaims().entrySet()) {
            c.put(e.getKey(), String.valueOf(e.getValue()));
        }
        c.put("measurement", Base64.getEncoder().encodeToString(report.measurement()));
        c.put("tpm", AzureVtpm.pcrClaims(quote));
        return new Claims(Tee.AZ_SNP_VTPM, c, Bytes.hex(quote.extraData()), Bytes.hex(pcr8));
    }
}
