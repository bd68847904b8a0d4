package io.cocoplane.teeevidence.azure;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.cocoplane.teeevidence.Bytes;
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
import io.cocoplane.teeevidence.tdx.TdxQuote;
import io.cocoplane.teeevidence.tdx.TdxVerifier;
import tools.jackson.databind.JsonNode;

/**
 * Verifier for {@code az-tdx-vtpm} evidence: an Azure TDX CVM whose paravisor binds a vTPM to the TD quote
 * ({@code kbs-attestation.md} §8; trustee {@code deps/verifier/src/az_tdx_vtpm}).
 *
 * <p>Evidence forms: v0 {@code {"tpm_quote":{"signature":[bytes],"message":[bytes],"pcrs":[[bytes]×24]},
 * "hcl_report":[bytes],"td_quote":[bytes]}}; v1 {@code {"version":1,"tpm_quote":{hex members},
 * "hcl_report":"<base64url>","td_quote":"<base64url>"}}.
 *
 * <p>Checks: expected report data required ({@link PolicyViolation}); parse ({@link Malformed}); TPM quote signature
 * by {@code HCLAkPub} and PCR digest ({@link SignatureInvalid}); TPM nonce equals the expected report data
 * ({@link ReportDataMismatch}); SHA-256(HCL variable data) equals the TD quote's {@code report_data[0:32]}
 * ({@link SignatureInvalid} {@code hcl_var_data}); v2 user-data prefix; the TD quote through {@link TdxVerifier}
 * (signatures, PCK chain, collateral when configured); PCR8 = SHA-256(0³² ‖ init digest), 32-byte digests only
 * ({@link InitDataMismatch}).
 *
 * <p>Claims: the TDX claims of {@link TdxVerifier} plus {@code tpm} = {@code {"pcr00": hex, …}};
 * {@link Claims#reportData()} is the hex of the TPM nonce and {@link Claims#initData()} the hex of PCR8.
 */
public final class AzTdxVtpmVerifier implements EvidenceVerifier {

    private final TdxVerifier tdx;

    /**
     * @param tdx the TDX verifier used for the TD quote (its root, clock and collateral apply)
     */
    public AzTdxVtpmVerifier(TdxVerifier tdx) {
        this.tdx = Objects.requireNonNull(tdx);
    }

    /** {@inheritDoc} */
    @Override
    public Tee tee() {
        return Tee.AZ_TDX_VTPM;
    }

    /** {@inheritDoc} See the class documentation for the checks, their order and the exception of each. */
    @Override
    public Claims verify(byte[] evidence, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(evidence, "evidence");
        byte[] nonce = expected.reportData();
        if (nonce == null) {
            throw new PolicyViolation("report_data", "az-tdx-vtpm evidence needs an expected report data");
        }
        JsonNode root = Json.parseObject(evidence);
        AzureVtpm.Parsed parsed = AzureVtpm.quote(root, "tpm_quote");
        JsonNode h = Json.required(root, "hcl_report");
        JsonNode t = Json.required(root, "td_quote");
        HclReport hcl = HclReport.parse(h.isString() ? AzureVtpm.b64url(h.stringValue())
                : AzureVtpm.bytes(h, "hcl_report", HclReport.MAX_SIZE));
        byte[] quoteBytes = t.isString() ? AzureVtpm.b64url(t.stringValue())
                : AzureVtpm.bytes(t, "td_quote", TdxQuote.MAX_SIZE);
        if (hcl.reportType() != 4) {
            throw new Malformed("HCL report is not a TDX report", 0x4C8);
        }
        TdxQuote quote = TdxQuote.parse(quoteBytes);
        AzureVtpm.checkTpmAndHcl(parsed, hcl, quote.reportData(), nonce);
        Claims tdClaims = tdx.verify(quote, ExpectedValues.none());
        AzureVtpm.checkInitData(parsed.quote(), expected.initDataDigest());
        Map<String, Object> c = new LinkedHashMap<>(tdClaims.teeClaims());
        c.put("tpm", AzureVtpm.pcrClaims(parsed.quote()));
        return new Claims(Tee.AZ_TDX_VTPM, c, Bytes.hex(parsed.quote().extraData()),
                Bytes.hex(parsed.quote().pcrs().get(8)));
    }
}
