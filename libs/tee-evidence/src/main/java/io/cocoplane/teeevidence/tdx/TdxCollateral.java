package io.cocoplane.teeevidence.tdx;

import java.security.GeneralSecurityException;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

import io.cocoplane.teeevidence.Bytes;
import io.cocoplane.teeevidence.EvidenceRefusedException;
import io.cocoplane.teeevidence.EvidenceRefusedException.CollateralInvalid;
import io.cocoplane.teeevidence.EvidenceRefusedException.Malformed;
import io.cocoplane.teeevidence.EvidenceRefusedException.PolicyViolation;
import io.cocoplane.teeevidence.Json;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Intel TDX collateral: TCB Info v3 ({@code {"tcbInfo": {...}, "signature": "<hex r‖s>"}}) and QE Identity v2
 * ({@code {"enclaveIdentity": {...}, "signature": ...}}) as served by Intel PCS v4, with the TCB-level matching of
 * Intel's QVL ({@code kbs-attestation.md} §7.2; Intel "PCS API v4" TCB Info / Enclave Identity schemas).
 *
 * <p>Collateral is configuration, not evidence: it comes from the operator's PCS/PCCS mirror. {@link #parse} accepts it
 * as trusted input; {@link #verifySignatures} additionally checks Intel's ECDSA P-256 signatures over the exact
 * bytes of the {@code tcbInfo}/{@code enclaveIdentity} JSON values with the {@code Intel SGX TCB Signing} chain.
 *
 * <p>Evaluation ({@link #evaluate}): FMSPC and PCE-ID of the PCK must equal the TCB Info's ({@link CollateralInvalid});
 * platform level = first {@code tcbLevels} entry whose 16 {@code sgxtcbcomponents} ≤ the PCK's, {@code pcesvn} ≤ the
 * PCK's PCESVN and {@code tdxtcbcomponents} ≤ {@code tee_tcb_svn} (from index 2 when {@code tee_tcb_svn[1] > 0});
 * TDX module identity {@code TDX_<tee_tcb_svn[1]>} (mrsigner and masked attributes match, level by
 * {@code isvsvn ≤ tee_tcb_svn[0]}); QE identity (mrsigner, isvprodid, masked miscselect/attributes, level by QE
 * isvsvn). No matching level or a {@code Revoked} status is a {@link PolicyViolation} {@code tcb_status}. A module or QE
 * that is {@code OutOfDate} lowers the platform status to {@code OutOfDate} ({@code OutOfDateConfigurationNeeded} when
 * configuration is needed). The collateral counts as expired when the instant is after either {@code nextUpdate}.
 */
public final class TdxCollateral {

    /** Largest collateral document accepted, in bytes. */
    public static final int MAX_JSON_BYTES = 256 * 1024;
    /** Most TCB levels accepted per list. */
    public static final int MAX_LEVELS = 256;

    /** Statuses trustee accepts ({@code kbs-attestation.md} §7.2). */
    public static final Set<String> ACCEPTED_STATUSES = Set.of("UpToDate", "SWHardeningNeeded",
            "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded", "OutOfDate", "OutOfDateConfigurationNeeded",
            "TDRelaunchAdvised", "TDRelaunchAdvisedConfigurationNeeded");

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final byte[] tcbInfoJson;
    private final byte[] qeIdentityJson;
    private final JsonNode tcbInfo;
    private final JsonNode qeIdentity;

    /**
     * The outcome of a TCB evaluation.
     *
     * @param tcbStatus the converged status, one of {@link #ACCEPTED_STATUSES}
     * @param tcbDate the platform level's {@code tcbDate}
     * @param advisoryIds advisory ids of the matched levels (may be empty)
     * @param collateralExpired whether the evaluation instant is after a {@code nextUpdate}
     * @param tcbEvaluationDataNumber the TCB Info's {@code tcbEvaluationDataNumber}
     * @param platformStatus the platform level status before convergence
     * @param moduleStatus the TDX module level status
     * @param qeStatus the QE identity level status
     */
    public record Evaluation(String tcbStatus, String tcbDate, List<String> advisoryIds, boolean collateralExpired,
            int tcbEvaluationDataNumber, String platformStatus, String moduleStatus, String qeStatus) {
        /** Copies the list. */
        public Evaluation {
            advisoryIds = List.copyOf(advisoryIds);
        }
    }

    private TdxCollateral(byte[] tcbInfoJson, byte[] qeIdentityJson, JsonNode tcbInfo, JsonNode qeIdentity) {
        this.tcbInfoJson = tcbInfoJson;
        this.qeIdentityJson = qeIdentityJson;
        this.tcbInfo = tcbInfo;
        this.qeIdentity = qeIdentity;
    }

    /**
     * @param tcbInfoJson the TCB Info document (≤ {@value #MAX_JSON_BYTES} bytes)
     * @param qeIdentityJson the QE Identity document (≤ {@value #MAX_JSON_BYTES} bytes)
     * @return the collateral
     * @throws Malformed when a document is not JSON, too large, or is not TCB Info v3 {@code id "TDX"} / QE Identity v2
     *         {@code id "TD_QE"}
     */
    public static TdxCollateral parse(byte[] tcbInfoJson, byte[] qeIdentityJson) throws Malformed {
        if (tcbInfoJson.length > MAX_JSON_BYTES || qeIdentityJson.length > MAX_JSON_BYTES) {
            throw new Malformed("collateral document larger than " + MAX_JSON_BYTES + " bytes", -1);
        }
        JsonNode t = Json.required(Json.parseObject(tcbInfoJson), "tcbInfo");
        JsonNode q = Json.required(Json.parseObject(qeIdentityJson), "enclaveIdentity");
        if (!"TDX".equals(t.path("id").asString("")) || t.path("version").asInt(0) != 3) {
            throw new Malformed("TCB Info must be id \"TDX\" version 3", -1);
        }
        if (!"TD_QE".equals(q.path("id").asString("")) || q.path("version").asInt(0) != 2) {
            throw new Malformed("QE Identity must be id \"TD_QE\" version 2", -1);
        }
        return new TdxCollateral(tcbInfoJson.clone(), qeIdentityJson.clone(), t, q);
    }

    /**
     * Verifies Intel's signatures over both documents.
     *
     * @param signingChain {@code Intel SGX TCB Signing} certificate followed by its issuer(s) up to the root
     * @param root the trusted Intel SGX Root CA
     * @throws EvidenceRefusedException {@link CollateralInvalid} when the chain does not end at {@code root} or a
     *         signature fails; {@link Malformed} when a signature member is missing or not hex
     */
    public void verifySignatures(List<X509Certificate> signingChain, X509Certificate root)
            throws EvidenceRefusedException {
        if (signingChain.isEmpty()) {
            throw new CollateralInvalid("empty TCB signing chain");
        }
        try {
            for (int i = 0; i < signingChain.size(); i++) {
                X509Certificate issuer = i + 1 < signingChain.size() ? signingChain.get(i + 1) : root;
                signingChain.get(i).verify(issuer.getPublicKey());
            }
            X509Certificate last = signingChain.get(signingChain.size() - 1);
            if (!last.equals(root) && !last.getIssuerX500Principal().equals(root.getSubjectX500Principal())) {
                throw new CollateralInvalid("TCB signing chain does not end at the Intel root");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CollateralInvalid("TCB signing chain does not verify: " + e.getMessage());
        }
        checkSignature(tcbInfoJson, "tcbInfo", signingChain.get(0));
        checkSignature(qeIdentityJson, "enclaveIdentity", signingChain.get(0));
    }

    private static void checkSignature(byte[] doc, String member, X509Certificate signer)
            throws EvidenceRefusedException {
        byte[] sig;
        try {
            sig = HexFormat.of().parseHex(Json.string(Json.parseObject(doc), "signature"));
        } catch (IllegalArgumentException e) {
            throw new Malformed("collateral signature is not hex", -1, e);
        }
        byte[] signed = rawMember(doc, member);
        try {
            Signature s = Signature.getInstance("SHA256withECDSAinP1363Format");
            s.initVerify(signer.getPublicKey());
            s.update(signed);
            if (!s.verify(sig)) {
                throw new CollateralInvalid(member + " signature does not verify");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new CollateralInvalid(member + " signature does not verify: " + e.getMessage());
        }
    }

    /** The exact bytes of a top-level object member's value, as Intel signs them. */
    static byte[] rawMember(byte[] doc, String member) throws Malformed {
        try (JsonParser p = MAPPER.createParser(doc)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new Malformed("collateral is not a JSON object", -1);
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.PROPERTY_NAME) {
                String name = p.currentName();
                JsonToken v = p.nextToken();
                long start = p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                long end = p.currentLocation().getByteOffset();
                if (name.equals(member) && v == JsonToken.START_OBJECT && start >= 0 && end <= doc.length) {
                    return java.util.Arrays.copyOfRange(doc, (int) start, (int) end);
                }
            }
            throw new Malformed("collateral has no \"" + member + "\" object", -1);
        } catch (JacksonException e) {
            throw new Malformed("collateral is not valid JSON", -1, e);
        }
    }

    /**
     * Evaluates the TCB status of a quote whose signatures and PCK chain were already verified.
     *
     * @param quote the quote
     * @param pck its PCK leaf
     * @param now the evaluation instant (for {@code nextUpdate})
     * @return the evaluation
     * @throws EvidenceRefusedException {@link CollateralInvalid} (other platform, malformed levels),
     *         {@link PolicyViolation} {@code tcb_status} (no matching level, Revoked, unknown status)
     */
    public Evaluation evaluate(TdxQuote quote, PckCertificate pck, Instant now) throws EvidenceRefusedException {
        if (!tcbInfo.path("fmspc").asString("").equalsIgnoreCase(Bytes.hex(pck.fmspc()))) {
            throw new CollateralInvalid("TCB Info is for FMSPC " + tcbInfo.path("fmspc").asString("")
                    + ", the PCK certificate has " + Bytes.hex(pck.fmspc()));
        }
        if (!tcbInfo.path("pceId").asString("").equalsIgnoreCase(Bytes.hex(pck.pceId()))) {
            throw new CollateralInvalid("TCB Info pceId does not match the PCK certificate");
        }
        byte[] teeTcbSvn = quote.teeTcbSvn();
        int[] sgx = pck.sgxTcbComponents();

        JsonNode platform = null;
        for (JsonNode level : levels(tcbInfo, "tcbLevels")) {
            JsonNode tcb = level.path("tcb");
            JsonNode sc = tcb.path("sgxtcbcomponents");
            JsonNode tc = tcb.path("tdxtcbcomponents");
            if (!sc.isArray() || sc.size() != 16 || !tc.isArray() || tc.size() != 16) {
                throw new CollateralInvalid("TCB level without 16 sgx/tdx components");
            }
            boolean ok = tcb.path("pcesvn").asInt(Integer.MAX_VALUE) <= pck.pceSvn();
            for (int i = 0; i < 16 && ok; i++) {
                ok = sc.get(i).path("svn").asInt(Integer.MAX_VALUE) <= sgx[i];
            }
            int start = (teeTcbSvn[1] & 0xff) > 0 ? 2 : 0;
            for (int i = start; i < 16 && ok; i++) {
                ok = tc.get(i).path("svn").asInt(Integer.MAX_VALUE) <= (teeTcbSvn[i] & 0xff);
            }
            if (ok) {
                platform = level;
                break;
            }
        }
        if (platform == null) {
            throw new PolicyViolation("tcb_status", "no TCB Info level matches the platform (TCB not supported)");
        }
        String platformStatus = status(platform);
        List<String> advisories = new ArrayList<>(strings(platform.path("advisoryIDs")));

        String moduleStatus = "UpToDate";
        int moduleVersion = teeTcbSvn[1] & 0xff;
        if (moduleVersion > 0) {
            String id = String.format(Locale.ROOT, "TDX_%02d", moduleVersion);
            JsonNode identity = null;
            for (JsonNode m : levels(tcbInfo, "tdxModuleIdentities")) {
                if (id.equals(m.path("id").asString(""))) {
                    identity = m;
                }
            }
            if (identity == null) {
                throw new PolicyViolation("tcb_status", "no TDX module identity " + id + " in TCB Info");
            }
            checkModule(identity, quote);
            JsonNode ml = firstLevel(identity, teeTcbSvn[0] & 0xff, "TDX module " + id);
            moduleStatus = status(ml);
            advisories.addAll(strings(ml.path("advisoryIDs")));
        } else {
            checkModule(tcbInfo.path("tdxModule"), quote);
        }

        byte[] qe = quote.qeReport();
        if (!qeIdentity.path("mrsigner").asString("").equalsIgnoreCase(Bytes.hex(java.util.Arrays.copyOfRange(qe, 128, 160)))) {
            throw new CollateralInvalid("QE mrsigner does not match the QE Identity");
        }
        int isvProdId = (qe[256] & 0xff) | (qe[257] & 0xff) << 8;
        if (qeIdentity.path("isvprodid").asInt(-1) != isvProdId) {
            throw new CollateralInvalid("QE isvprodid " + isvProdId + " does not match the QE Identity");
        }
        long misc = (qe[16] & 0xffL) | (qe[17] & 0xffL) << 8 | (qe[18] & 0xffL) << 16 | (qe[19] & 0xffL) << 24;
        long miscExpected = Long.parseLong(hex(qeIdentity, "miscselect", 4), 16);
        long miscMask = Long.parseLong(hex(qeIdentity, "miscselectMask", 4), 16);
        if ((misc & miscMask) != miscExpected) {
            throw new CollateralInvalid("QE miscselect does not match the QE Identity");
        }
        byte[] attr = HexFormat.of().parseHex(hex(qeIdentity, "attributes", 16));
        byte[] attrMask = HexFormat.of().parseHex(hex(qeIdentity, "attributesMask", 16));
        for (int i = 0; i < 16; i++) {
            if ((qe[48 + i] & attrMask[i]) != attr[i]) {
                throw new CollateralInvalid("QE attributes do not match the QE Identity");
            }
        }
        int qeSvn = (qe[258] & 0xff) | (qe[259] & 0xff) << 8;
        JsonNode ql = firstLevel(qeIdentity, qeSvn, "QE");
        String qeStatus = status(ql);
        advisories.addAll(strings(ql.path("advisoryIDs")));

        String converged = platformStatus;
        if (moduleStatus.equals("OutOfDate") || qeStatus.equals("OutOfDate")) {
            converged = switch (platformStatus) {
                case "UpToDate", "SWHardeningNeeded" -> "OutOfDate";
                case "ConfigurationNeeded", "ConfigurationAndSWHardeningNeeded" -> "OutOfDateConfigurationNeeded";
                default -> platformStatus;
            };
        }
        boolean expired = now.isAfter(instant(tcbInfo, "nextUpdate")) || now.isAfter(instant(qeIdentity, "nextUpdate"));
        return new Evaluation(converged, platform.path("tcbDate").asString(""), advisories.stream().distinct().toList(),
                expired, tcbInfo.path("tcbEvaluationDataNumber").asInt(0), platformStatus, moduleStatus, qeStatus);
    }

    private static void checkModule(JsonNode identity, TdxQuote quote) throws CollateralInvalid {
        if (!identity.path("mrsigner").asString("").equalsIgnoreCase(Bytes.hex(quote.mrSignerSeam()))) {
            throw new CollateralInvalid("TDX module mrsigner does not match the TCB Info");
        }
        byte[] attr = HexFormat.of().parseHex(hex(identity, "attributes", 8));
        byte[] mask = HexFormat.of().parseHex(hex(identity, "attributesMask", 8));
        byte[] seam = quote.seamAttributes();
        for (int i = 0; i < 8; i++) {
            if ((seam[i] & mask[i]) != attr[i]) {
                throw new CollateralInvalid("SEAM attributes do not match the TDX module identity");
            }
        }
    }

    private static String hex(JsonNode n, String name, int bytes) throws CollateralInvalid {
        String s = n.path(name).asString("");
        if (s.length() != 2 * bytes || !s.matches("[0-9A-Fa-f]*")) {
            throw new CollateralInvalid("collateral member " + name + " must be " + bytes + " bytes of hex");
        }
        return s;
    }

    private static List<JsonNode> levels(JsonNode n, String name) throws CollateralInvalid {
        JsonNode a = n.path(name);
        if (!a.isArray() || a.size() > MAX_LEVELS) {
            throw new CollateralInvalid("collateral member " + name + " must be an array of at most " + MAX_LEVELS);
        }
        List<JsonNode> out = new ArrayList<>();
        a.forEach(out::add);
        return out;
    }

    private static JsonNode firstLevel(JsonNode identity, int isvsvn, String what) throws EvidenceRefusedException {
        for (JsonNode l : levels(identity, "tcbLevels")) {
            if (l.path("tcb").path("isvsvn").asInt(Integer.MAX_VALUE) <= isvsvn) {
                return l;
            }
        }
        throw new PolicyViolation("tcb_status", "no " + what + " TCB level for isvsvn " + isvsvn);
    }

    private static String status(JsonNode level) throws PolicyViolation {
        String s = level.path("tcbStatus").asString("");
        if (!ACCEPTED_STATUSES.contains(s)) {
            throw new PolicyViolation("tcb_status", "TCB status \"" + s + "\" is not acceptable");
        }
        return s;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        if (a.isArray()) {
            a.forEach(e -> out.add(e.asString("")));
        }
        return out;
    }

    private static Instant instant(JsonNode n, String name) throws CollateralInvalid {
        try {
            return Instant.parse(Objects.requireNonNull(n.path(name).asString(null)));
        } catch (DateTimeParseException | NullPointerException e) {
            throw new CollateralInvalid("collateral member " + name + " is not an RFC 3339 instant");
        }
    }
}
