package io.cocoplane.keybroker;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.cocoplane.kbsprotocol.InitData;
import io.cocoplane.kbsprotocol.KbsClient;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.kbsprotocol.Tee;

/** Rotating the master key re-wraps the stored data keys and leaves every secret readable. */
class MasterKeyRotationTest extends KeyBrokerTestBase {

    @Test
    void rotationChangesTheWrappedKeysAndKeepsSecretsReadable() {
        String wl = unique("wl");
        String path = "rot/key/" + unique("r");
        byte[] secret = "survives rotation".getBytes(StandardCharsets.UTF_8);
        putSecret(path, secret);
        Map<String, Object> before = jdbc.queryForMap("SELECT master_key_id, wrapped_key, ciphertext"
                + " FROM kbs_resource_version WHERE path = ?", path);

        String target = "k1".equals(before.get("master_key_id")) ? "k2" : "k1";
        HttpResponse<String> r = send("POST", "/kbs/v0/admin/rotate-master-key",
                ("{\"primary\":\"" + target + "\"}").getBytes(StandardCharsets.UTF_8), "Authorization",
                "Bearer " + adminToken("admin"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(JSON.readTree(r.body()).get("rewrapped").asInt()).isPositive();

        Map<String, Object> after = jdbc.queryForMap("SELECT master_key_id, wrapped_key, ciphertext"
                + " FROM kbs_resource_version WHERE path = ?", path);
        assertThat(after.get("master_key_id")).isEqualTo(target);
        assertThat((byte[]) after.get("wrapped_key")).isNotEqualTo(before.get("wrapped_key"));
        assertThat((byte[]) after.get("ciphertext")).isEqualTo(before.get("ciphertext"));
        assertThat(jdbc.queryForObject("SELECT count(*) FROM kbs_resource_version WHERE master_key_id <> ?",
                Long.class, target)).isZero();

        InitData init = initData(wl);
        schedule(wl, digest(init), "sha256:" + "9".repeat(64), List.of(path));
        KbsClient c = KbsClient.builder(base(), new TestEvidenceProvider(Tee.SNP, digest(init))).initData(init).build();
        assertThat(c.getResource(ResourcePath.parse(path))).isEqualTo(secret);

        HttpResponse<String> unknown = send("POST", "/kbs/v0/admin/rotate-master-key",
                "{\"primary\":\"k9\"}".getBytes(StandardCharsets.UTF_8), "Authorization",
                "Bearer " + adminToken("admin"));
        assertThat(unknown.statusCode()).isEqualTo(400);
    }
}
