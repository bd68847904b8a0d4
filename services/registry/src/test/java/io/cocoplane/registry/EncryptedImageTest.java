package io.cocoplane.registry;

import io.cocoplane.eventing.test.KafkaTopicReader;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;

import tools.jackson.databind.JsonNode;

import io.cocoplane.contracts.Topics;

/**
 * Encrypted-image inspection on push (through {@code io.cocoplane.ocicrypt.ManifestInspector}): the fixture's four
 * tags pushed over HTTP into a repository whose name has a slash; the read API reports the encrypted layers, the
 * recipient kinds and the CoCo key id; {@code image.pushed} and {@code image.deleted} arrive on
 * {@code coco.image.events}.
 */
class EncryptedImageTest extends RegistryTestBase {

    static final String REPO = "coco/fixture";

    @Value("${spring.kafka.bootstrap-servers}")
    String bootstrap;

    @Test
    void readApiAndImagePushedEventCarryTheCocoKeyIdAndRecipientKinds() {
        Fixture fx = Fixture.require();
        OciHttp oci = oci();
        for (String tag : Fixture.TAGS) {
            for (String d : fx.blobDigests(tag)) {
                oci.pushBlob(REPO, fx.blob(d));
            }
            oci.pushManifest(REPO, tag, fx.manifest(tag), OciHttp.OCI_MANIFEST);
        }
        String cocoDigest = fx.manifestDigest("coco-kbs");

        JsonNode coco = OciHttp.json(oci.get("/api/v1/images/coco/fixture/manifests/coco-kbs"));
        assertThat(coco.get("digest").asString()).isEqualTo(cocoDigest);
        assertThat(OciHttp.strings(coco.get("keyIds"))).containsExactly(Fixture.COCO_KID);
        assertThat(coco.get("encrypted").asBoolean()).isTrue();
        JsonNode layer = coco.get("layers").get(0);
        assertThat(layer.get("encrypted").asBoolean()).isTrue();
        assertThat(layer.get("mediaType").asString()).isEqualTo("application/vnd.oci.image.layer.v1.tar+gzip+encrypted");
        assertThat(OciHttp.strings(layer.get("recipients"))).containsExactly("provider.attestation-agent");
        assertThat(OciHttp.strings(layer.get("keyIds"))).containsExactly(Fixture.COCO_KID);
        assertThat(OciHttp.strings(coco.get("tags"))).containsExactly("coco-kbs");

        JsonNode byDigest = OciHttp.json(oci.get("/api/v1/images/coco/fixture/manifests/" + cocoDigest));
        assertThat(OciHttp.strings(byDigest.get("keyIds"))).containsExactly(Fixture.COCO_KID);

        JsonNode multi = OciHttp.json(oci.get("/api/v1/images/coco/fixture/manifests/encrypted-multi"));
        JsonNode multiLayer = multi.get("layers").get(0);
        assertThat(OciHttp.strings(multiLayer.get("recipients"))).containsExactly("jwe");
        assertThat(OciHttp.strings(multiLayer.get("jweAlgorithms"))).containsExactly("RSA-OAEP", "ECDH-ES+A256KW");
        assertThat(OciHttp.strings(multi.get("keyIds"))).isEmpty();

        JsonNode plain = OciHttp.json(oci.get("/api/v1/images/coco/fixture/manifests/plain"));
        assertThat(plain.get("encrypted").asBoolean()).isFalse();
        assertThat(plain.get("layers").get(0).get("encrypted").asBoolean()).isFalse();

        JsonNode repo = OciHttp.json(oci.get("/api/v1/images/coco/fixture"));
        assertThat(repo.get("name").asString()).isEqualTo(REPO);
        assertThat(repo.get("manifests")).hasSize(4);

        JsonNode list = OciHttp.json(oci.get("/api/v1/images"));
        JsonNode entry = null;
        for (JsonNode r : list.get("repositories")) {
            if (REPO.equals(r.get("name").asString())) {
                entry = r;
            }
        }
        assertThat(entry).isNotNull();
        assertThat(OciHttp.strings(entry.get("tags"))).containsExactly("coco-kbs", "encrypted", "encrypted-multi", "plain");
        assertThat(entry.get("encrypted").asBoolean()).isTrue();

        assertThat(oci.get("/api/v1/images/coco/fixture/manifests/nope").statusCode()).isEqualTo(404);
        assertThat(oci.get("/api/v1/images/Coco/Fixture").statusCode()).isEqualTo(400);

        ConsumerRecord<String, byte[]> pushed = await().atMost(Duration.ofSeconds(30))
                .until(() -> event(REPO + "@" + cocoDigest, "io.cocoplane.image.pushed.v1"), Optional::isPresent)
                .get();
        JsonNode data = OciHttp.JSON.readTree(pushed.value());
        assertThat(data.get("repository").asString()).isEqualTo(REPO);
        assertThat(data.get("digest").asString()).isEqualTo(cocoDigest);
        assertThat(OciHttp.strings(data.get("keyIds"))).containsExactly(Fixture.COCO_KID);
        assertThat(OciHttp.strings(data.get("tags"))).containsExactly("coco-kbs");
        assertThat(data.get("layers").get(0).get("encrypted").asBoolean()).isTrue();
        assertThat(OciHttp.strings(data.get("layers").get(0).get("recipients")))
                .containsExactly("provider.attestation-agent");
        assertThat(header(pushed, "ce_source")).isEqualTo("/cocoplane/registry");

        String plainDigest = fx.manifestDigest("plain");
        assertThat(oci.send("DELETE", "/v2/" + REPO + "/manifests/" + plainDigest, null).statusCode()).isEqualTo(202);
        ConsumerRecord<String, byte[]> deleted = await().atMost(Duration.ofSeconds(30))
                .until(() -> event(REPO + "@" + plainDigest, "io.cocoplane.image.deleted.v1"), Optional::isPresent)
                .get();
        assertThat(OciHttp.strings(OciHttp.JSON.readTree(deleted.value()).get("tags"))).containsExactly("plain");
        assertThat(oci.get("/api/v1/images/coco/fixture/manifests/plain").statusCode()).isEqualTo(404);
    }

    private Optional<ConsumerRecord<String, byte[]>> event(String key, String type) {
        List<ConsumerRecord<String, byte[]>> all = KafkaTopicReader.readAll(bootstrap, Topics.IMAGE_EVENTS);
        return all.stream().filter(r -> key.equals(r.key()) && type.equals(header(r, "ce_type"))).findFirst();
    }

    private static String header(ConsumerRecord<String, byte[]> r, String name) {
        var h = r.headers().lastHeader(name);
        return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
