package io.cocoplane.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;

/**
 * Interoperability with the real {@code skopeo} (Debian 1.9.3): every tag of the ocicrypt fixture is pushed
 * ({@code oci:} to {@code docker://}) and pulled back ({@code docker://} to {@code oci:}); manifests come back byte
 * for byte with the right {@code Docker-Content-Digest}, and decrypting the pulled {@code encrypted} tag with the
 * fixture's RSA key restores the plain layer digest.
 */
class SkopeoInteropTest extends RegistryTestBase {

    @TempDir
    Path tmp;

    @Test
    void skopeoPushesAndPullsEveryFixtureTagByteForByteAndDecryptsThePulledImage() throws Exception {
        Fixture fx = Fixture.require();
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/skopeo")) || onPath("skopeo"),
                "skipped: skopeo is not installed (apt-get install -y skopeo)");
        Path policy = tmp.resolve("policy.json");
        Files.writeString(policy, "{\"default\":[{\"type\":\"insecureAcceptAnything\"}]}");
        String registry = "127.0.0.1:" + port;
        Path pulled = tmp.resolve("pulled");
        OciHttp oci = oci();

        for (String tag : Fixture.TAGS) {
            skopeo(policy, "copy", "--dest-tls-verify=false", "oci:" + fx.layout + ":" + tag,
                    "docker://" + registry + "/fixture:" + tag);

            byte[] original = fx.manifest(tag);
            var served = oci.get("/v2/fixture/manifests/" + tag, "Accept", OciHttp.OCI_MANIFEST);
            assertThat(served.statusCode()).isEqualTo(200);
            assertThat(served.body()).as("manifest of %s stored byte for byte", tag).isEqualTo(original);
            assertThat(OciHttp.header(served, "Docker-Content-Digest")).isEqualTo(fx.manifestDigest(tag));

            skopeo(policy, "copy", "--src-tls-verify=false", "docker://" + registry + "/fixture:" + tag,
                    "oci:" + pulled + ":" + tag);
            assertThat(pulledManifest(pulled, tag)).as("pulled manifest of %s", tag).isEqualTo(original);
        }
        var tags = OciHttp.json(oci.get("/v2/fixture/tags/list"));
        assertThat(OciHttp.strings(tags.get("tags")))
                .containsExactly("coco-kbs", "encrypted", "encrypted-multi", "plain");

        Path decrypted = tmp.resolve("decrypted");
        skopeo(policy, "copy", "--decryption-key", fx.key("TEST-ONLY-DO-NOT-USE-rsa2048-private.pem").toString(),
                "oci:" + pulled + ":encrypted", "oci:" + decrypted + ":decrypted");
        JsonNode plain = OciHttp.JSON.readTree(fx.manifest("plain"));
        JsonNode dec = OciHttp.JSON.readTree(pulledManifest(decrypted, "decrypted"));
        assertThat(dec.get("layers").get(0).get("digest").asString())
                .isEqualTo(plain.get("layers").get(0).get("digest").asString())
                .isEqualTo("sha256:891a37b618bae046328ea7ff0e01a8a19e461884a613bb2126b451e33e4fad0a");
        assertThat(dec.get("layers").get(0).get("mediaType").asString())
                .isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip");
    }

    private static byte[] pulledManifest(Path layout, String tag) throws IOException {
        JsonNode index = OciHttp.JSON.readTree(Files.readAllBytes(layout.resolve("index.json")));
        for (JsonNode m : index.get("manifests")) {
            if (tag.equals(m.path("annotations").path("org.opencontainers.image.ref.name").asString())) {
                String d = m.get("digest").asString().substring("sha256:".length());
                return Files.readAllBytes(layout.resolve("blobs/sha256").resolve(d));
            }
        }
        throw new AssertionError("tag " + tag + " not in " + layout);
    }

    private void skopeo(Path policy, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("skopeo", "--debug", "--policy", policy.toString()));
        cmd.addAll(List.of(args));
        Path logs = Files.createDirectories(Path.of("target", "skopeo-logs"));
        Path log = Files.createTempFile(logs, "skopeo-" + args[args.length - 1].replaceAll("[^a-z0-9-]", "_") + "-", ".log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("skopeo did not finish: " + cmd);
        }
        assertThat(p.exitValue()).as(String.join(" ", cmd) + "\n" + Files.readString(log, StandardCharsets.UTF_8))
                .isZero();
    }

    private static boolean onPath(String exe) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String d : path.split(":")) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }
}
