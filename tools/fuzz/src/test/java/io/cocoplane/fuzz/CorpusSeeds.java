package io.cocoplane.fuzz;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cocoplane.contracts.CocoEvent;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.contracts.EventType;
import io.cocoplane.contracts.ImageDeleted;
import io.cocoplane.contracts.KeyDenied;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.OutboxRow;
import io.cocoplane.initdata.DigestAlgorithm;
import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.kbsprotocol.AttestResponse;
import io.cocoplane.kbsprotocol.Attestation;
import io.cocoplane.kbsprotocol.Challenge;
import io.cocoplane.kbsprotocol.CompositeEvidence;
import io.cocoplane.kbsprotocol.ErrorInformation;
import io.cocoplane.kbsprotocol.JweCodec;
import io.cocoplane.kbsprotocol.Request;
import io.cocoplane.kbsprotocol.RsaTeePubKey;
import io.cocoplane.kbsprotocol.RuntimeData;
import io.cocoplane.kbsprotocol.Tee;
import io.cocoplane.kbsprotocol.TeeKeyPair;
import io.cocoplane.ocicrypt.CocoKeyWrapper;
import io.cocoplane.ocicrypt.CocoRecipient;
import io.cocoplane.ocicrypt.JweRecipient;
import io.cocoplane.ocicrypt.OciMediaTypes;
import io.cocoplane.ocicrypt.OcicryptException;
import io.cocoplane.ocicrypt.OcicryptLayers;
import io.cocoplane.teeevidence.snp.SnpReport;
import io.cocoplane.transparencylog.Checkpoint;
import io.cocoplane.transparencylog.InMemoryNodeStore;
import io.cocoplane.transparencylog.MerkleTree;
import io.cocoplane.transparencylog.SignedNote;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Writes the committed seed inputs of every fuzz target: small valid inputs built here with the libraries' own
 * encoders or by laying the documented byte formats out by hand (never copied from {@code shared/testdata}). Each
 * seed is under 16 KiB. Run it after adding a target or when a format changes (README.md, "Seeds"):
 *
 * <pre>java -cp ... io.cocoplane.fuzz.CorpusSeeds tools/fuzz/src/test/resources</pre>
 *
 * Seeds with signatures or JWE encryption are random per run; regenerating rewrites them. Crash inputs that Jazzer
 * adds ({@code crash-*}) are not touched.
 */
public final class CorpusSeeds {

    private static final HexFormat HEX = HexFormat.of();
    private static final JsonMapper MAPPER = JsonMapper.builder().build();
    private static final SecureRandom RANDOM = new SecureRandom();
    /** Largest seed written, in bytes. */
    static final int MAX_SEED_BYTES = 16 * 1024;

    private final Path root;

    private CorpusSeeds(Path root) {
        this.root = root;
    }

    /**
     * @param args the resources root to write under (default {@code tools/fuzz/src/test/resources})
     * @throws Exception when a seed cannot be built or written
     */
    public static void main(String[] args) throws Exception {
        CorpusSeeds s = new CorpusSeeds(Path.of(args.length > 0 ? args[0] : "tools/fuzz/src/test/resources"));
        s.teeEvidence();
        s.kbsProtocol();
        s.initData();
        s.ocicrypt();
        s.eventing();
        s.transparencyLog();
    }

    /** @return {@code n} bytes of value {@code v} */
    static byte[] filled(int n, int v) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) v);
        return b;
    }

    private void write(Class<?> target, String method, String name, byte[] seed) throws IOException {
        if (seed.length > MAX_SEED_BYTES) {
            throw new IllegalStateException(method + "/" + name + " is " + seed.length + " bytes");
        }
        Path dir = root.resolve(target.getPackageName().replace('.', '/'))
                .resolve(target.getSimpleName() + "Inputs").resolve(method);
        Files.createDirectories(dir);
        Files.write(dir.resolve(name), seed);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static void le(ByteArrayOutputStream o, long v, int n) {
        for (int i = 0; i < n; i++) {
            o.write((int) (v >>> (8 * i)));
        }
    }

    private static void be(ByteArrayOutputStream o, long v, int n) {
        for (int i = n - 1; i >= 0; i--) {
            o.write((int) (v >>> (8 * i)));
        }
    }

    private static byte[] sha(String alg, byte[] b) throws GeneralSecurityException {
        return MessageDigest.getInstance(alg).digest(b);
    }

    private static String b64url(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    // ---------------------------------------------------------------- tee-evidence

    /**
     * An SNP report (firmware layout, {@code kbs-attestation.md} §6.1) with a zero-padded random signature.
     *
     * @param version 2…5
     * @param family  cpuid_fam_id (v3+)
     * @param model   cpuid_mod_id (v3+)
     * @param chipId  64-byte chip id
     */
    static byte[] snpReport(int version, int family, int model, byte[] chipId, byte[] reportData) {
        byte[] r = new byte[SnpReport.SIZE];
        putLe(r, 0x000, version, 4);
        putLe(r, 0x008, 0x30000, 8); // policy: SMT allowed, reserved bit 17
        putLe(r, 0x034, 1, 4); // ECDSA P-384 with SHA-384
        byte[] tcb = {3, 0, 0, 0, 0, 0, 20, (byte) 209};
        for (int off : new int[] {0x038, 0x180, 0x1E0, 0x1F0}) {
            System.arraycopy(tcb, 0, r, off, 8);
        }
        putLe(r, 0x040, 1, 8); // SMT enabled
        System.arraycopy(reportData, 0, r, 0x050, 64);
        Arrays.fill(r, 0x090, 0x090 + 48, (byte) 0x22);
        Arrays.fill(r, 0x0C0, 0x0C0 + 32, (byte) 0x33);
        if (version >= 3) {
            r[0x188] = (byte) family;
            r[0x189] = (byte) model;
            r[0x18A] = 1;
        }
        System.arraycopy(chipId, 0, r, 0x1A0, 64);
        r[0x1E8] = 11;
        r[0x1E9] = 55;
        r[0x1EA] = 1;
        r[0x1EC] = 11;
        r[0x1ED] = 55;
        r[0x1EE] = 1;
        byte[] sig = new byte[48];
        RANDOM.nextBytes(sig);
        System.arraycopy(sig, 0, r, SnpReport.SIGNATURE_R_OFFSET, 48);
        RANDOM.nextBytes(sig);
        System.arraycopy(sig, 0, r, SnpReport.SIGNATURE_S_OFFSET, 48);
        return r;
    }

    private static void putLe(byte[] b, int off, long v, int n) {
        for (int i = 0; i < n; i++) {
            b[off + i] = (byte) (v >>> (8 * i));
        }
    }

    /** A TDX quote (DCAP quote format, {@code kbs-attestation.md} §7.1) with random signatures and a dummy PEM. */
    static byte[] tdxQuote(int version, byte[] reportData) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        le(o, version, 2);
        le(o, 2, 2); // ECDSA-256-with-P-256
        le(o, 0x81, 4); // TDX
        le(o, 0, 4);
        o.writeBytes(HEX.parseHex("939a7233f79c4ca9940a0db3957f0607"));
        o.writeBytes(new byte[20]);
        int bodySize = version == 4 ? 584 : 648;
        if (version == 5) {
            le(o, 3, 2);
            le(o, bodySize, 4);
        }
        byte[] body = new byte[bodySize];
        body[0] = 5;
        Arrays.fill(body, 136, 184, (byte) 0x21); // mr_td
        Arrays.fill(body, 184, 232, (byte) 0x31); // mr_config_id
        System.arraycopy(reportData, 0, body, 520, 64);
        o.writeBytes(body);
        byte[] pem = utf8("-----BEGIN CERTIFICATE-----\nMAA=\n-----END CERTIFICATE-----\n");
        ByteArrayOutputStream cd = new ByteArrayOutputStream();
        cd.writeBytes(new byte[384]); // QE report
        cd.writeBytes(random(64)); // QE report signature
        le(cd, 32, 2);
        cd.writeBytes(filled(32, 0x51)); // QE authentication data
        le(cd, 5, 2);
        le(cd, pem.length, 4);
        cd.writeBytes(pem);
        ByteArrayOutputStream sig = new ByteArrayOutputStream();
        sig.writeBytes(random(64)); // quote signature
        sig.writeBytes(random(64)); // attestation key
        le(sig, 6, 2);
        le(sig, cd.size(), 4);
        sig.writeBytes(cd.toByteArray());
        le(o, sig.size(), 4);
        o.writeBytes(sig.toByteArray());
        return o.toByteArray();
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }

    /** A CCEL with the Spec ID event (SHA-384 only) and {@code events} EV_EVENT_TAG events into RTMR0…3. */
    static byte[] ccel(int events) throws GeneralSecurityException {
        ByteArrayOutputStream spec = new ByteArrayOutputStream();
        spec.writeBytes(Arrays.copyOf(utf8("Spec ID Event03"), 16));
        le(spec, 0, 4); // platformClass
        spec.writeBytes(new byte[] {0, 2, 0}); // specVersionMinor, major, errata
        spec.write(2); // uintnSize
        le(spec, 1, 4); // numberOfAlgorithms
        le(spec, 0x000C, 2);
        le(spec, 48, 2);
        spec.write(0); // vendorInfoSize
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        le(o, 0, 4);
        le(o, 3, 4); // EV_NO_ACTION
        o.writeBytes(new byte[20]);
        le(o, spec.size(), 4);
        o.writeBytes(spec.toByteArray());
        for (int i = 0; i < events; i++) {
            byte[] data = utf8("event " + i);
            le(o, 1 + i % 4, 4);
            le(o, 0x00000006, 4); // EV_EVENT_TAG
            le(o, 1, 4);
            le(o, 0x000C, 2);
            o.writeBytes(sha("SHA-384", data));
            le(o, data.length, 4);
            o.writeBytes(data);
        }
        return o.toByteArray();
    }

    /** TPMS_ATTEST of a quote over all 24 SHA-256 PCRs of {@code pcrs}, qualified by {@code extraData}. */
    static byte[] tpmsAttest(byte[] extraData, List<byte[]> pcrs) throws GeneralSecurityException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        be(o, 0xFF544347L, 4);
        be(o, 0x8018, 2);
        be(o, 2, 2);
        o.writeBytes(new byte[] {0, 0x0b});
        be(o, extraData.length, 2);
        o.writeBytes(extraData);
        o.writeBytes(new byte[17 + 8]);
        be(o, 1, 4);
        be(o, 0x000B, 2);
        o.write(3);
        o.writeBytes(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        pcrs.forEach(all::writeBytes);
        be(o, 32, 2);
        o.writeBytes(sha("SHA-256", all.toByteArray()));
        return o.toByteArray();
    }

    /** An HCL report around {@code hwReport} whose variable data names {@code ak} as HCLAkPub. */
    static byte[] hclReport(int type, byte[] hwReport, RSAPublicKey ak, byte[] userData) {
        String varData = "{\"keys\":[{\"kid\":\"HCLAkPub\",\"key_ops\":[\"sign\"],\"kty\":\"RSA\",\"e\":\""
                + b64url(unsigned(ak.getPublicExponent())) + "\",\"n\":\"" + b64url(unsigned(ak.getModulus()))
                + "\"}],\"user-data\":\"" + HEX.formatHex(userData).toUpperCase() + "\"}";
        byte[] var = utf8(varData);
        byte[] hcl = new byte[0x4D4 + var.length];
        System.arraycopy(utf8("HCLA"), 0, hcl, 0, 4);
        System.arraycopy(hwReport, 0, hcl, 0x20, Math.min(hwReport.length, 0x4C0 - 0x20));
        int[] igvm = {20 + var.length, 1, type, 1, var.length};
        for (int i = 0; i < igvm.length; i++) {
            putLe(hcl, 0x4C0 + 4 * i, igvm[i], 4);
        }
        System.arraycopy(var, 0, hcl, 0x4D4, var.length);
        return hcl;
    }

    /** @return the variable data of an HCL report built by {@link #hclReport} */
    private static byte[] varData(byte[] hcl) {
        return Arrays.copyOfRange(hcl, 0x4D4, hcl.length);
    }

    private static byte[] unsigned(BigInteger v) {
        byte[] b = v.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private void teeEvidence() throws Exception {
        byte[] genoaChip = filled(64, 0x7c);
        byte[] turinChip = Arrays.copyOf(filled(8, 0x7d), 64);
        byte[] rd = filled(64, 0x41);
        byte[] genoa = snpReport(3, 0x19, 0x11, genoaChip, rd);
        byte[] turin = snpReport(5, 0x1A, 0x02, turinChip, rd);
        byte[] milan = snpReport(2, 0, 0, genoaChip, rd);
        Class<?> t = TeeEvidenceFuzzTest.class;
        write(t, "snpReport", "genoa-v3.bin", genoa);
        write(t, "snpReport", "turin-v5.bin", turin);
        write(t, "snpReport", "milan-v2.bin", milan);
        write(t, "snpEvidence", "genoa-v3.json", SnpReportJson.evidence(SnpReport.parse(genoa)));
        write(t, "snpEvidence", "turin-v5.json", SnpReportJson.evidence(SnpReport.parse(turin)));
        ObjectNode withChain = (ObjectNode) MAPPER.readTree(SnpReportJson.evidence(SnpReport.parse(genoa)));
        ObjectNode vcek = withChain.putArray("cert_chain").addObject();
        vcek.put("cert_type", "VCEK");
        var der = vcek.putArray("data");
        for (byte b : utf8("0\u0003\u0002\u0001\u0000")) {
            der.add(b & 0xff);
        }
        write(t, "snpEvidence", "genoa-v3-cert-chain.json", utf8(MAPPER.writeValueAsString(withChain)));
        write(t, "snpEvidence", "genoa-v3.bin", genoa);

        byte[] ccel = ccel(8);
        write(t, "tdxQuote", "v4.bin", tdxQuote(4, rd));
        write(t, "tdxQuote", "v5-tdx15.bin", tdxQuote(5, rd));
        write(t, "tdxQuote", "v4-with-ccel.json", utf8("{\"cc_eventlog\":\"" + Base64.getEncoder().encodeToString(ccel)
                + "\",\"quote\":\"" + Base64.getEncoder().encodeToString(tdxQuote(4, rd)) + "\"}"));
        write(t, "ccEventLog", "eight-events.bin", ccel);
        write(t, "ccEventLog", "spec-id-only.bin", ccel(0));

        List<byte[]> pcrs = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            pcrs.add(new byte[32]);
        }
        write(t, "azureTpmQuote", "quote-all-pcrs.frames",
                Frames.join(List.of(tpmsAttest(filled(32, 0x6e), pcrs), random(256))));

        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        KeyPair ak = g.generateKeyPair();
        byte[] nonce = TeeEvidenceFuzzTest.AZURE_NONCE;
        byte[] user = Arrays.copyOf(nonce, 64);
        byte[] snpHcl = hclReport(2, new byte[SnpReport.SIZE], (RSAPublicKey) ak.getPublic(), user);
        byte[] reportData = Arrays.copyOf(sha("SHA-256", varData(snpHcl)), 64);
        snpHcl = hclReport(2, snpReport(3, 0x19, 0x11, genoaChip, reportData), (RSAPublicKey) ak.getPublic(), user);
        byte[] tdxHcl = hclReport(4, new byte[1024], (RSAPublicKey) ak.getPublic(), user);
        byte[] tdReportData = Arrays.copyOf(sha("SHA-256", varData(tdxHcl)), 64);
        write(t, "azureHclReport", "snp.bin", snpHcl);
        write(t, "azureHclReport", "tdx.bin", tdxHcl);

        for (int i = 0; i < 24; i++) {
            pcrs.set(i, filled(32, i));
        }
        byte[] msg = tpmsAttest(nonce, pcrs);
        Signature s = Signature.getInstance("SHA256withRSA");
        s.initSign(ak.getPrivate());
        s.update(msg);
        StringBuilder hexPcrs = new StringBuilder();
        for (int i = 0; i < 24; i++) {
            hexPcrs.append(i == 0 ? "" : ",").append('"').append(HEX.formatHex(pcrs.get(i))).append('"');
        }
        String tpmQuote = "{\"signature\":\"" + HEX.formatHex(s.sign()) + "\",\"message\":\"" + HEX.formatHex(msg)
                + "\",\"pcrs\":[" + hexPcrs + "]}";
        write(t, "azureEvidence", "az-snp-v2.json", utf8("{\"version\":2,\"tpm_quote\":" + tpmQuote
                + ",\"hcl_report\":\"" + b64url(snpHcl) + "\",\"vcek\":\"" + b64url(random(64)) + "\"}"));
        write(t, "azureEvidence", "az-tdx-v1.json", utf8("{\"version\":1,\"tpm_quote\":" + tpmQuote
                + ",\"hcl_report\":\"" + b64url(tdxHcl) + "\",\"td_quote\":\"" + b64url(tdxQuote(4, tdReportData)) + "\"}"));

        write(t, "sampleEvidence", "sample.json",
                utf8("{\"svn\":\"1\",\"report_data\":\"" + Base64.getEncoder().encodeToString(filled(32, 1)) + "\"}"));
        write(t, "sampleEvidence", "sample-init-data.json",
                utf8("{\"svn\":\"1\",\"report_data\":\"" + Base64.getEncoder().encodeToString(filled(32, 1))
                        + "\",\"init_data\":\"" + HEX.formatHex(filled(32, 2)) + "\"}"));
    }

    // ---------------------------------------------------------------- kbs-protocol

    private void kbsProtocol() throws Exception {
        Class<?> t = KbsProtocolFuzzTest.class;
        write(t, "rcarMessage", "request.json", Request.forTee(Tee.SNP).toJsonBytes());
        write(t, "rcarMessage", "challenge.json", Challenge.generate(RANDOM).toJsonBytes());
        Challenge c = Challenge.generate(RANDOM);
        CompositeEvidence ev = new CompositeEvidence(MAPPER.readTree("{\"svn\":\"1\",\"report_data\":\"AAAA\"}"), "");
        write(t, "rcarMessage", "attestation.json",
                new Attestation(null, new RuntimeData(c.nonce(), KbsProtocolFuzzTest.TEE_KEY.teePubKey()), ev)
                        .toJsonBytes());
        String payload = b64url(utf8("{\"exp\":1893456000,\"submods\":{}}"));
        write(t, "rcarMessage", "attest-response.json",
                new AttestResponse(b64url(utf8("{\"alg\":\"ES256\"}")) + "." + payload + "." + b64url(random(64)))
                        .toJsonBytes());
        write(t, "rcarMessage", "error.json", ErrorInformation.of("PolicyDeny", "resource policy denied").toJsonBytes());
        write(t, "jweResponse", "ec-p256.json", JweCodec.defaults().encrypt(utf8("a resource"),
                KbsProtocolFuzzTest.TEE_KEY.teePubKey()).toJsonBytes());
        write(t, "teePubKey", "ec-p256.json",
                utf8(MAPPER.writeValueAsString(KbsProtocolFuzzTest.TEE_KEY.teePubKey().toJson())));
        write(t, "teePubKey", "ec-p521.json",
                utf8(MAPPER.writeValueAsString(TeeKeyPair.generateEc("P-521").teePubKey().toJson())));
        write(t, "teePubKey", "rsa-oaep-256.json", utf8(MAPPER.writeValueAsString(
                TeeKeyPair.generateRsa(RsaTeePubKey.RSA_OAEP_256).teePubKey().toJson())));
    }

    // ---------------------------------------------------------------- initdata

    private void initData() throws Exception {
        Class<?> t = InitDataFuzzTest.class;
        Map<String, String> data = new LinkedHashMap<>();
        data.put("aa.toml", "[token_configs]\n[token_configs.kbs]\nurl = \"http://10.0.0.1:8080\"\n");
        data.put("cdh.toml", "socket = 'unix:///run/confidential-containers/cdh.sock'\n");
        data.put("policy.rego", "package agent_policy\n\ndefault AllowRequestsFailingPolicy := false\n");
        InitDataDocument sha256 = InitDataDocument.write(InitData.of(DigestAlgorithm.SHA256, data));
        InitDataDocument sha384 = InitDataDocument.write(InitData.of(DigestAlgorithm.SHA384, Map.of("k", "v")));
        write(t, "toml", "sha256.toml", sha256.bytes());
        write(t, "toml", "sha384.toml", sha384.bytes());
        write(t, "annotation", "annotation.txt", InitDataFuzzTest.Layer.ANNOTATION.input(
                InitDataAnnotation.encode(sha256).getBytes(StandardCharsets.ISO_8859_1)));
        write(t, "annotation", "gzip.bin", InitDataFuzzTest.Layer.GZIP.input(InitDataFuzzTest.gzip(sha384.bytes())));
        write(t, "annotation", "toml.bin", InitDataFuzzTest.Layer.TOML.input(sha256.bytes()));
    }

    // ---------------------------------------------------------------- ocicrypt

    private void ocicrypt() throws Exception {
        Class<?> t = OcicryptFuzzTest.class;
        var layer = OcicryptFuzzTest.LAYER;
        JweRecipient jwe = JweRecipient.of(FixedKeys.p256().getPublic());
        CocoRecipient coco = new CocoRecipient(FixedKeys.KID, FixedKeys.KEK);
        Map<String, String> both = OcicryptLayers.annotations(layer.result(), List.of(jwe), coco);
        write(t, "layerAnnotations", "jwe-and-coco.json", utf8(MAPPER.writeValueAsString(both)));
        write(t, "layerAnnotations", "coco.json", utf8(MAPPER.writeValueAsString(
                OcicryptLayers.annotations(layer.result(), List.of(), coco))));
        write(t, "layerAnnotations", "jwe.json", utf8(MAPPER.writeValueAsString(
                OcicryptLayers.annotations(layer.result(), List.of(jwe), null))));
        write(t, "keyProviderPacket", "v1.json", CocoKeyWrapper.wrap(layer.result().privateOptions().toJson(),
                FixedKeys.KID, FixedKeys.KEK).toJson());
        write(t, "manifest", "encrypted.json", utf8(manifest(layer.result().ciphertextDigest(), layer.result().size(),
                OcicryptLayers.annotations(layer.result(), List.of(), coco))));
        write(t, "manifest", "plain.json", utf8(manifest("sha256:" + HEX.formatHex(sha("SHA-256", new byte[0])), 0,
                Map.of())));
    }

    private static String manifest(String digest, long size, Map<String, String> annotations) throws OcicryptException {
        ObjectNode m = MAPPER.createObjectNode();
        m.put("schemaVersion", 2);
        m.put("mediaType", OciMediaTypes.OCI_MANIFEST);
        ObjectNode config = m.putObject("config");
        config.put("mediaType", "application/vnd.oci.image.config.v1+json");
        config.put("digest", "sha256:" + "c".repeat(64));
        config.put("size", 2);
        ObjectNode l = m.putArray("layers").addObject();
        l.put("mediaType", annotations.isEmpty() ? "application/vnd.oci.image.layer.v1.tar+gzip"
                : OciMediaTypes.toEncrypted("application/vnd.oci.image.layer.v1.tar+gzip"));
        l.put("digest", digest);
        l.put("size", size);
        if (!annotations.isEmpty()) {
            ObjectNode a = l.putObject("annotations");
            annotations.forEach(a::put);
        }
        return MAPPER.writeValueAsString(m);
    }

    // ---------------------------------------------------------------- eventing

    private void eventing() throws Exception {
        Class<?> t = EventingFuzzTest.class;
        CloudEventCodec codec = new CloudEventCodec(JsonMapper.builder().build(), EventingFuzzTest.MAX_RECORD_BYTES);
        write(t, "cloudEventRecord", "image-deleted.frames", record(codec, EventCatalog.IMAGE_DELETED,
                new ImageDeleted("library/app", "sha256:" + "a".repeat(64), List.of("v1", "latest")), "/cocoplane/registry"));
        write(t, "cloudEventRecord", "key-denied.frames", record(codec, EventCatalog.KEY_DENIED,
                new KeyDenied("default/image-kek/app", "snp", null, null, null, "policy denied"), "/cocoplane/keybroker"));
    }

    private static <T extends CocoEvent> byte[] record(CloudEventCodec codec, EventType<T> type, T event, String source) {
        OutboxRow row = new OutboxRow(1, UUID.nameUUIDFromBytes(utf8(type.ceType())), type.topic(), event.subject(),
                type.ceType(), source, event.subject(), type.dataSchema(),
                OffsetDateTime.of(2026, 6, 1, 12, 0, 0, 0, ZoneOffset.UTC),
                "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", codec.payload(event));
        return Frames.join(EventingFuzzTest.parts(codec.encode(row)));
    }

    // ---------------------------------------------------------------- transparency-log

    private void transparencyLog() throws Exception {
        Class<?> t = TransparencyLogFuzzTest.class;
        MerkleTree tree = new MerkleTree(new InMemoryNodeStore());
        List<byte[]> leaves = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            leaves.add(utf8("entry " + i));
            tree.append(leaves.get(i));
        }
        Checkpoint cp = new Checkpoint(TransparencyLogFuzzTest.ORIGIN, 7, tree.rootHash());
        SignedNote note = cp.sign(TransparencyLogFuzzTest.LOG_KEY);
        write(t, "signedCheckpoint", "checkpoint.note", note.encode());
        write(t, "signedCheckpoint", "cosigned.note", note.cosign(TransparencyLogFuzzTest.WITNESS_KEY).encode());
        write(t, "checkpointBody", "body.txt", utf8(cp.toNoteText()));
        write(t, "checkpointBody", "body-extension.txt", utf8(new Checkpoint(TransparencyLogFuzzTest.ORIGIN, 7,
                tree.rootHash(), List.of("— witness ext")).toNoteText()));

        List<byte[]> frames = new ArrayList<>();
        frames.add(new byte[] {0});
        frames.addAll(List.of(Frames.u64(3), Frames.u64(7), Frames.u64(0), tree.leafHash(3), tree.rootHash()));
        frames.addAll(tree.inclusionProof(3, 7));
        write(t, "proofVerification", "inclusion.frames", Frames.join(frames));
        frames = new ArrayList<>(List.of(new byte[] {1}, Frames.u64(3), Frames.u64(7), Frames.u64(0),
                tree.rootHash(3), tree.rootHash()));
        frames.addAll(tree.consistencyProof(3, 7));
        write(t, "proofVerification", "consistency.frames", Frames.join(frames));
        frames = new ArrayList<>(List.of(new byte[] {2}, Frames.u64(5), Frames.u64(4), Frames.u64(6),
                tree.leafHash(5), tree.subtreeHash(4, 6)));
        frames.addAll(tree.subtreeInclusionProof(5, 4, 6));
        write(t, "proofVerification", "subtree-inclusion.frames", Frames.join(frames));
        frames = new ArrayList<>(List.of(new byte[] {3}, Frames.u64(4), Frames.u64(6), Frames.u64(7),
                tree.subtreeHash(4, 6), tree.rootHash()));
        frames.addAll(tree.subtreeConsistencyProof(4, 6, 7));
        write(t, "proofVerification", "subtree-consistency.frames", Frames.join(frames));

        List<byte[]> honest = new ArrayList<>();
        honest.add(new byte[] {6, 2, 4, 9});
        honest.addAll(leaves);
        write(t, "honestProofs", "seven-leaves.frames", Frames.join(honest));
    }
}
