package io.cocoplane.katasim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Configuration rules, tamper policies, image references and registry challenges. */
class ConfigAndPolicyTest {

    @TempDir
    Path dir;

    static Pod labelled(String name, String id) {
        return new PodBuilder().withNewMetadata().withName("p")
                .addToLabels(TamperPolicy.WORKLOAD_NAME_LABEL, name).addToLabels(TamperPolicy.WORKLOAD_ID_LABEL, id)
                .endMetadata().build();
    }

    @Test
    void plainHttpTokenEndpointNeedsLoopbackAndTheDevelopmentSwitch() {
        RegistryAuth loopback = RegistryAuth.tokenEndpoint(URI.create("http://127.0.0.1:8080/auth/token"), "u", "p");
        assertThatThrownBy(() -> KataNodeConfig.builder(dir).registryAuth(loopback).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("allowPlainHttpToLoopback");
        assertThat(KataNodeConfig.builder(dir).registryAuth(loopback).allowPlainHttpToLoopback(true).build()
                .registryAuth()).isEqualTo(loopback);
        RegistryAuth remote = RegistryAuth.tokenEndpoint(URI.create("http://gw.example/auth/token"), "u", "p");
        assertThatThrownBy(() -> KataNodeConfig.builder(dir).registryAuth(remote).allowPlainHttpToLoopback(true)
                .build()).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("non-loopback");
        assertThat(loopback.toString()).doesNotContain("=p,").doesNotContain(", p");
        assertThatThrownBy(() -> RegistryAuth.tokenEndpoint(URI.create("https://gw.example/t?x=1"), "u", "p"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RegistryAuth.tokenEndpoint(URI.create("https://gw.example/t"), "u:x", "p"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void configValidatesRangesAndComputesBackoff() {
        KataNodeConfig c = KataNodeConfig.builder(dir).backoff(Duration.ofSeconds(10), Duration.ofSeconds(60)).build();
        assertThat(List.of(c.backoffAfter(1), c.backoffAfter(2), c.backoffAfter(3), c.backoffAfter(4),
                c.backoffAfter(50))).containsExactly(Duration.ofSeconds(10), Duration.ofSeconds(20),
                Duration.ofSeconds(40), Duration.ofSeconds(60), Duration.ofSeconds(60));
        assertThat(c.isKata("kata-qemu-snp")).isTrue();
        assertThat(c.isKata("kata")).isTrue();
        assertThat(c.isKata("runc")).isFalse();
        assertThat(c.isKata("my-kata")).isFalse();
        assertThat(c.isKata(null)).isFalse();
        assertThatThrownBy(() -> KataNodeConfig.builder(dir).maxAttempts(0).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KataNodeConfig.builder(dir).namespaces(List.of("Bad_NS")).build())
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KataNodeConfig.builder(dir).backoff(Duration.ofSeconds(10), Duration.ofSeconds(1))
                .build()).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> KataNodeConfig.builder(null).build()).isInstanceOf(NullPointerException.class);
    }

    @Test
    void fixedTamperPolicyMatchesWorkloadNameThenId() {
        TamperPolicy p = TamperPolicy.fixed(Map.of("chat", TamperMode.WRONG_INIT_DATA, "id-2",
                TamperMode.WRONG_MEASUREMENT));
        assertThat(p.modeFor(labelled("chat", "id-1"))).isEqualTo(TamperMode.WRONG_INIT_DATA);
        assertThat(p.modeFor(labelled("other", "id-2"))).isEqualTo(TamperMode.WRONG_MEASUREMENT);
        assertThat(p.modeFor(labelled("other", "id-3"))).isEqualTo(TamperMode.NONE);
        assertThat(p.modeFor(new PodBuilder().withNewMetadata().endMetadata().build())).isEqualTo(TamperMode.NONE);
    }

    @Test
    void fileTamperPolicyIsReReadAndSkipsWhatItCannotUnderstand() throws Exception {
        Path f = dir.resolve("tamper.properties");
        FileTamperPolicy p = new FileTamperPolicy(f);
        assertThat(p.modeFor(labelled("chat", "x"))).isEqualTo(TamperMode.NONE); // missing file
        Files.writeString(f, "# demo\nchat=wrong_init_data\nbad=SOMETIMES\nvision = WRONG-MEASUREMENT\n");
        assertThat(p.read()).isEqualTo(Map.of("chat", TamperMode.WRONG_INIT_DATA, "vision",
                TamperMode.WRONG_MEASUREMENT));
        assertThat(p.modeFor(labelled("chat", "x"))).isEqualTo(TamperMode.WRONG_INIT_DATA);
        assertThat(p.modeFor(labelled("bad", "x"))).isEqualTo(TamperMode.NONE);
        Files.writeString(f, "chat=NONE\n");
        assertThat(p.modeFor(labelled("chat", "x"))).isEqualTo(TamperMode.NONE);
        Files.write(f, new byte[FileTamperPolicy.MAX_FILE_BYTES + 1]);
        assertThat(p.read()).isEmpty();
    }

    @Test
    void imageReferencesMustBePinnedAndNameARegistry() {
        String d = "sha256:" + "e".repeat(64);
        assertThat(ImageRef.parse("127.0.0.1:5000/team/app@" + d))
                .isEqualTo(new ImageRef("127.0.0.1:5000", "team/app", d));
        assertThat(ImageRef.parse("localhost/app:1.0@" + d).host()).isEqualTo("localhost");
        assertThat(ImageRef.parse("[::1]:5000/app@" + d).host()).isEqualTo("[::1]");
        for (String bad : List.of("127.0.0.1:5000/app:1.0", "team/app@" + d, "127.0.0.1:5000/App@" + d,
                "127.0.0.1:5000/app@sha256:abc", "x".repeat(600))) {
            assertThatThrownBy(() -> ImageRef.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void loopbackDetectionNeverResolvesNames() {
        assertThat(Transport.isLoopbackHost("127.0.0.1")).isTrue();
        assertThat(Transport.isLoopbackHost("127.1.2.3")).isTrue();
        assertThat(Transport.isLoopbackHost("[::1]")).isTrue();
        assertThat(Transport.isLoopbackHost("LocalHost")).isTrue();
        assertThat(Transport.isLoopbackHost("10.0.0.1")).isFalse();
        assertThat(Transport.isLoopbackHost("localhost.evil.example")).isFalse();
        assertThatThrownBy(() -> Transport.checkScheme(URI.create("http://127.0.0.1/"), false, "KBS"))
                .hasMessageContaining("development switch");
        assertThatThrownBy(() -> Transport.checkScheme(URI.create("ftp://127.0.0.1/"), true, "KBS"))
                .hasMessageContaining("not http(s)");
    }

    @Test
    void bearerChallengeParameters() {
        String c = "Bearer realm=\"http://gw/auth/token\",service=\"cocoplane-registry\",scope=\"repository:a:pull\"";
        assertThat(RegistryClient.challengeParam(c, "service")).contains("cocoplane-registry");
        assertThat(RegistryClient.challengeParam(c, "scope")).contains("repository:a:pull");
        assertThat(RegistryClient.challengeParam("Bearer realm=\"x\"", "service")).isEmpty();
    }
}
