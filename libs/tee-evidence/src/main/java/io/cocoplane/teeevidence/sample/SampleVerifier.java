package io.cocoplane.teeevidence.sample;

import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.InitDataMismatch;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.ReportDataMismatch;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Json;
import io.cocoplane.teeevidence.Tee;
import tools.jackson.databind.JsonNode;

/**
 * Verifier for trustee's development-only {@code sample} TEE ({@code kbs-attestation.md} §2.3, §4.1): evidence
 * {@code {"svn": "<string>", "report_data": "<standard base64>", "init_data": "<lowercase hex>"}}. It proves nothing
 * about hardware; anyone can produce it. It is therefore only obtainable through {@link #enableForDevelopment()} and is
 * never part of {@link io.cocoplane.teeevidence.EvidenceVerifiers#defaults()}.
 *
 * <p>Checks: {@code svn} is a string of at most {@value #MAX_SVN_CHARS} characters; {@code report_data} (default
 * {@code ""}) is standard base64 of at most 64 bytes and, when an expected report data is given, equals it exactly
 * (trustee compares unpadded: no zero-padding to 64 bytes) else {@link ReportDataMismatch}; {@code init_data} — a
 * member trustee's sample format lacks — is, when present, the lowercase hex of a 32-, 48- or 64-byte init-data digest
 * (the full digest, standing for SNP HOST_DATA); when the caller expects an init-data digest the member must be present
 * and equal to it, else {@link InitDataMismatch}; {@code launch_digest} — also absent from trustee's format, where the
 * verifier reports the constant {@code "abcde"} — is, when present, 1 to {@value #MAX_LAUNCH_DIGEST_CHARS} lowercase hex
 * characters and is reported as the claim (so a simulated guest can claim a launch measurement that no reference value
 * allows). Any structural problem is {@link Malformed} (offset -1).
 *
 * <p>Claims: {@code svn} and, when sent, {@code launch_digest} under {@code sample}; {@link Claims#reportData()} is the
 * hex of the decoded report data, {@link Claims#initData()} the {@code init_data} value or {@code null}.
 */
public final class SampleVerifier implements EvidenceVerifier {

    /** Longest accepted {@code svn}. */
    public static final int MAX_SVN_CHARS = 64;
    /** Longest accepted {@code launch_digest} (the hex of a SHA-512 digest). */
    public static final int MAX_LAUNCH_DIGEST_CHARS = 128;

    private SampleVerifier() {
    }

    /**
     * The only way to obtain a sample verifier: an explicit, greppable opt-in for development and tests.
     *
     * @return a verifier for {@code sample} evidence
     */
    public static SampleVerifier enableForDevelopment() {
        return new SampleVerifier();
    }

    /** {@inheritDoc} */
    @Override
    public Tee tee() {
        return Tee.SAMPLE;
    }

    /** {@inheritDoc} See the class documentation for the checks, their order and the exception of each. */
    @Override
    public Claims verify(byte[] evidence, ExpectedValues expected) throws EvidenceRefusedException {
        Objects.requireNonNull(evidence, "evidence");
        Objects.requireNonNull(expected, "expected");
        JsonNode root = Json.parseObject(evidence);
        String svn = Json.string(root, "svn");
        if (svn.length() > MAX_SVN_CHARS) {
            throw new Malformed("\"svn\" longer than " + MAX_SVN_CHARS + " characters", -1);
        }
        byte[] reportData = new byte[0];
        if (root.has("report_data")) {
            String b64 = Json.string(root, "report_data");
            if (b64.length() > 88) {
                throw new Malformed("\"report_data\" longer than 64 bytes", -1);
            }
            try {
                reportData = Base64.getDecoder().decode(b64);
            } catch (IllegalArgumentException e) {
                throw new Malformed("\"report_data\" is not standard base64", -1, e);
            }
            if (reportData.length > 64) { // 88 unpadded characters decode to 66 bytes
                throw new Malformed("\"report_data\" longer than 64 bytes", -1);
            }
        }
        String initData = null;
        if (root.has("init_data")) {
            initData = Json.string(root, "init_data");
            int n = initData.length();
            if ((n != 64 && n != 96 && n != 128) || !initData.matches("[0-9a-f]*")) {
                throw new Malformed("\"init_data\" must be the lowercase hex of a 32-, 48- or 64-byte digest", -1);
            }
        }
        String launchDigest = null;
        if (root.has("launch_digest")) {
            launchDigest = Json.string(root, "launch_digest");
            if (launchDigest.isEmpty() || launchDigest.length() > MAX_LAUNCH_DIGEST_CHARS
                    || !launchDigest.matches("[0-9a-f]*")) {
                throw new Malformed("\"launch_digest\" must be 1.." + MAX_LAUNCH_DIGEST_CHARS
                        + " lowercase hex characters", -1);
            }
        }
        byte[] rd = expected.reportData();
        if (rd != null && !Bytes.constantTimeEquals(reportData, rd)) {
            throw new ReportDataMismatch("report_data " + Bytes.hex(reportData) + " != expected " + Bytes.hex(rd));
        }
        byte[] init = expected.initDataDigest();
        if (init != null) {
            if (initData == null) {
                throw new InitDataMismatch("an init-data digest is expected but the evidence has no \"init_data\"");
            }
            if (!Bytes.constantTimeEquals(HexFormat.of().parseHex(initData), init)) {
                throw new InitDataMismatch("init_data " + initData + " != expected " + Bytes.hex(init));
            }
        }
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("svn", svn);
        if (launchDigest != null) {
            c.put("launch_digest", launchDigest);
        }
        return new Claims(Tee.SAMPLE, c, Bytes.hex(reportData), initData);
    }
}
