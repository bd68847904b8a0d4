package io.cocoplane.initdata;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.net.URI;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Date;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemWriter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.cocoplane.initdata.InitDataException.Reason;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/** The standard CoCo init-data helper: aa.toml / cdh.toml pointing at the KBS, plus the generated policy. */
class CocoInitDataTest {

    private static final URI KBS = URI.create("https://kbs.example.com:8080");
    private static final TomlMapper TOML = new TomlMapper();
    private static String certPem;
    private static AgentPolicy policy;

    @BeforeAll
    static void selfSignedKbsCertificate() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=kbs.example.com");
        X509CertificateHolder holder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
                new Date(1_700_000_000_000L), new Date(1_900_000_000_000L), name, kp.getPublic())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate()));
        StringWriter sw = new StringWriter();
        try (PemWriter w = new PemWriter(sw)) {
            w.writeObject(new JcaMiscPEMGenerator(holder));
        }
        certPem = sw.toString();
        policy = AgentPolicy.builder().pinImage("quay.io/example/app@sha256:" + "ef".repeat(32)).build();
    }

    private static JsonNode toml(String text) {
        return TOML.readTree(text);
    }

    @Test
    void aaAndCdhPointAtTheKbsWithItsCertificate() {
        InitData data = CocoInitData.builder().kbsUrl(KBS).kbsCertificatePem(certPem).policy(policy).build();

        assertThat(data.data()).containsOnlyKeys("aa.toml", "cdh.toml", "policy.rego");
        JsonNode aa = toml(data.get("aa.toml"));
        assertThat(aa.get("token_configs").get("kbs").get("url").stringValue()).isEqualTo("https://kbs.example.com:8080");
        assertThat(aa.get("token_configs").get("kbs").get("cert").stringValue()).isEqualTo(certPem);
        JsonNode cdh = toml(data.get("cdh.toml"));
        assertThat(cdh.get("kbc").get("name").stringValue()).isEqualTo("cc_kbc");
        assertThat(cdh.get("kbc").get("url").stringValue()).isEqualTo("https://kbs.example.com:8080");
        assertThat(cdh.get("kbc").get("kbs_cert").stringValue()).isEqualTo(certPem);
        assertThat(data.get("policy.rego")).isEqualTo(policy.rego());
    }

    @Test
    void withoutCertificateTheCertKeysAreAbsent() {
        InitData data = CocoInitData.builder().kbsUrl(URI.create("http://10.0.0.1:8080")).policy(policy).build();

        assertThat(toml(data.get("aa.toml")).get("token_configs").get("kbs").has("cert")).isFalse();
        assertThat(toml(data.get("cdh.toml")).get("kbc").has("kbs_cert")).isFalse();
        assertThat(toml(data.get("cdh.toml")).get("kbc").get("url").stringValue()).isEqualTo("http://10.0.0.1:8080");
    }

    @Test
    void algorithmDefaultsToSha256AndIsConfigurable() {
        assertThat(CocoInitData.builder().kbsUrl(KBS).policy(policy).build().algorithm())
                .isEqualTo(DigestAlgorithm.SHA256);
        assertThat(CocoInitData.builder().kbsUrl(KBS).policy(policy).algorithm(DigestAlgorithm.SHA384).build()
                .algorithm()).isEqualTo(DigestAlgorithm.SHA384);
    }

    @Test
    void buildIsDeterministicAndSurvivesTheAnnotationRoundTrip() {
        InitData one = CocoInitData.builder().kbsUrl(KBS).kbsCertificatePem(certPem).policy(policy).build();
        InitData two = CocoInitData.builder().policy(policy).kbsCertificatePem(certPem).kbsUrl(KBS).build();
        InitDataDocument doc = InitDataDocument.write(one);

        assertThat(doc.bytes()).isEqualTo(InitDataDocument.write(two).bytes());
        InitDataDocument back = InitDataAnnotation.decode(InitDataAnnotation.encode(doc));
        assertThat(back.initData()).isEqualTo(one);
        assertThat(back.teeFieldValue(TeePlatform.SNP)).isEqualTo(doc.teeFieldValue(TeePlatform.SNP));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "ftp://kbs.example.com", "kbs.example.com:8080", "/relative", "https://user@kbs.example.com",
            "https://kbs.example.com/?x=1", "https://kbs.example.com/#frag", "mailto:kbs@example.com", "https:///path"
    })
    void badKbsUrlsAreRefused(String url) {
        assertThatThrownBy(() -> CocoInitData.builder().kbsUrl(URI.create(url)))
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_KBS_CONFIG));
    }

    @Test
    void badCertificatesAreRefused() {
        for (String pem : new String[] {"not a pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
                "-----BEGIN CERTIFICATE-----\n" + "A".repeat(CocoInitData.MAX_CERT_PEM_LENGTH)}) {
            assertThatThrownBy(() -> CocoInitData.builder().kbsCertificatePem(pem))
                    .isInstanceOfSatisfying(InitDataException.class,
                            e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_KBS_CONFIG));
        }
    }

    @Test
    void urlAndPolicyAreRequired() {
        assertThatThrownBy(() -> CocoInitData.builder().policy(policy).build())
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
        assertThatThrownBy(() -> CocoInitData.builder().kbsUrl(KBS).build())
                .isInstanceOfSatisfying(InitDataException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.INVALID_ARGUMENT));
    }
}
