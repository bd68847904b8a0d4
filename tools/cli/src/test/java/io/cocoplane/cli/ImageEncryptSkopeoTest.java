package io.cocoplane.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import tools.jackson.databind.JsonNode;

/**
 * Interop with Debian's skopeo (ocicrypt 1.0.3): an image encrypted by {@code cococtl image encrypt --recipient
 * jwe:<pem>} into an OCI layout is decrypted by {@code skopeo copy --decryption-key} to the original layer digests.
 * Skipped when skopeo is not installed.
 */
class ImageEncryptSkopeoTest {

    static String skopeo;

    @TempDir
    Path dir;

    @BeforeAll
    static void findSkopeo() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "which skopeo").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        if (p.waitFor() != 0 || out.isEmpty()) {
            System.err.println("skopeo not installed: skipping the skopeo interop test (apt-get install skopeo)");
        } else {
            skopeo = out;
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"rsa", "ec"})
    void skopeoDecryptsWhatCococtlEncrypted(String keyType) throws Exception {
        assumeTrue(skopeo != null, "skopeo not installed");
        TestImages.Image image = TestImages.build(3, 40_000, 7);
        Path src = dir.resolve("plain");
        TestImages.writeLayout(image, src, "v1");
        KeyPair kp = keyType.equals("rsa") ? TestImages.rsa() : TestImages.ec();
        Path pub = dir.resolve("pub.pem");
        Path priv = dir.resolve("priv.pem");
        TestImages.writePem(kp, pub, priv);

        Path enc = dir.resolve("enc");
        Cli.Run r = Cli.run(Cli.env(dir.resolve("cfg"), null), "image", "encrypt", "oci:" + src + ":v1",
                "--dest", "oci:" + enc + ":v1", "--recipient", "jwe:" + pub, "--output", "json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode result = Json.MAPPER.readTree(r.out());
        assertThat(result.get("scheme").asString()).isEqualTo("jwe");

        OciLayout encrypted = OciLayout.open(enc);
        JsonNode manifest = Json.MAPPER.readTree(encrypted.manifest("v1").bytes());
        List<String> encDigests = new ArrayList<>();
        for (JsonNode l : manifest.get("layers")) {
            assertThat(l.get("mediaType").asString()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip+encrypted");
            assertThat(l.get("annotations").has("org.opencontainers.image.enc.keys.jwe")).isTrue();
            encDigests.add(l.get("digest").asString());
        }
        assertThat(encDigests).doesNotContainAnyElementsOf(image.layerDigests());

        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Path out = dir.resolve("out");
        skopeo("--policy", policy.toString(), "copy", "--decryption-key", priv.toString(),
                "oci:" + enc + ":v1", "oci:" + out + ":v1");

        JsonNode decrypted = Json.MAPPER.readTree(OciLayout.open(out).manifest("v1").bytes());
        List<String> outDigests = new ArrayList<>();
        for (JsonNode l : decrypted.get("layers")) {
            assertThat(l.get("mediaType").asString()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
            assertThat(l.has("annotations") && l.get("annotations").has("org.opencontainers.image.enc.pubopts"))
                    .isFalse();
            outDigests.add(l.get("digest").asString());
        }
        assertThat(outDigests).containsExactlyElementsOf(image.layerDigests());
        assertThat(decrypted.get("config").get("digest").asString()).isEqualTo(image.configDigest());
        for (String d : image.layerDigests()) {
            assertThat(Digests.of(Files.readAllBytes(OciLayout.open(out).blobPath(d)))).isEqualTo(d);
        }
    }

    @Test
    void skopeoRefusesTheWrongKey() throws Exception {
        assumeTrue(skopeo != null, "skopeo not installed");
        TestImages.Image image = TestImages.build(1, 1000, 8);
        Path src = dir.resolve("plain");
        TestImages.writeLayout(image, src, "v1");
        TestImages.writePem(TestImages.rsa(), dir.resolve("pub.pem"), dir.resolve("unused.pem"));
        TestImages.writePem(TestImages.rsa(), dir.resolve("other-pub.pem"), dir.resolve("other.pem"));
        Cli.Run r = Cli.run(Cli.env(dir.resolve("cfg"), null), "image", "encrypt", "oci:" + src + ":v1",
                "--dest", "oci:" + dir.resolve("enc") + ":v1", "--recipient", "jwe:" + dir.resolve("pub.pem"));
        assertThat(r.exit()).isZero();
        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        Process p = new ProcessBuilder(skopeo, "--policy", policy.toString(), "copy", "--decryption-key",
                dir.resolve("other.pem").toString(), "oci:" + dir.resolve("enc") + ":v1",
                "oci:" + dir.resolve("out") + ":v1").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isNotZero();
        assertThat(output).contains("no suitable key unwrapper found");
    }

    private static void skopeo(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(skopeo);
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("skopeo %s\n%s", cmd, output).isZero();
    }
}
