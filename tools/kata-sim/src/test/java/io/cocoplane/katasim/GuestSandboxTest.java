package io.cocoplane.katasim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import io.cocoplane.initdata.AgentPolicy;
import io.cocoplane.initdata.CocoInitData;
import io.cocoplane.initdata.InitData;
import io.cocoplane.initdata.InitDataAnnotation;
import io.cocoplane.initdata.InitDataDocument;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;

/** Sandbox creation from the init-data annotation: what Kata accepts and the texts it fails with. */
class GuestSandboxTest {

    static final String IMAGE = "registry.example:5000/app@sha256:" + "c".repeat(64);

    static Pod pod(String annotation) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").endMetadata();
        if (annotation != null) {
            b.editMetadata().addToAnnotations(InitDataAnnotation.KEY, annotation).endMetadata();
        }
        return b.build();
    }

    static String annotation(InitData data) {
        return InitDataAnnotation.encode(InitDataDocument.write(data));
    }

    static GuestFailure sandboxFailure(String annotation) {
        GuestFailure f = org.junit.jupiter.api.Assertions.assertThrows(GuestFailure.class,
                () -> GuestSandbox.create(pod(annotation), InitDataAnnotation.KEY));
        assertThat(f.stage()).isEqualTo(GuestFailure.Stage.SANDBOX);
        assertThat(f.getMessage()).startsWith(GuestFailure.SANDBOX_PREFIX);
        return f;
    }

    @Test
    void orchestratorStyleInitDataGivesKbsAndPolicy() throws Exception {
        InitData data = CocoInitData.builder().kbsUrl(URI.create("https://kbs.example:8080"))
                .policy(AgentPolicy.builder().pinImage(IMAGE).build()).build();
        InitDataDocument doc = InitDataDocument.write(data);
        GuestSandbox s = GuestSandbox.create(pod(InitDataAnnotation.encode(doc)), InitDataAnnotation.KEY);
        assertThat(s.document().bytes()).isEqualTo(doc.bytes());
        assertThat(s.kbsUrl()).isEqualTo("https://kbs.example:8080");
        assertThat(s.kbsCertPem()).isNull();
        assertThat(s.policyRego()).isEqualTo(data.get(InitData.POLICY_REGO));
    }

    @Test
    void cdhConfigIsTheFallbackForTheKbsAddress() throws Exception {
        InitData data = InitData.builder().put(InitData.CDH_TOML, "[kbc]\nname = 'cc_kbc'\nurl = 'https://cdh.example'\n")
                .put(InitData.POLICY_REGO, AgentPolicy.builder().pinImage(IMAGE).build().rego()).build();
        assertThat(GuestSandbox.create(pod(annotation(data)), InitDataAnnotation.KEY).kbsUrl())
                .isEqualTo("https://cdh.example");
    }

    @Test
    void badAnnotationsFailTheSandboxWithKatasTexts() {
        assertThat(sandboxFailure(null).getMessage()).contains("no init-data annotation");
        assertThat(sandboxFailure("not base64!").getMessage()).contains("parsing initdata annotation failed")
                .contains("NOT_BASE64");
        String notGzip = Base64.getEncoder().encodeToString("version = \"0.1.0\"".getBytes());
        assertThat(sandboxFailure(notGzip).getMessage()).contains("initdata create gzip reader error");
        String valid = annotation(InitData.builder().put(InitData.POLICY_REGO, "package agent_policy\n").build());
        assertThat(sandboxFailure(valid.substring(0, valid.length() - 1)).getMessage())
                .contains("parsing initdata annotation failed").contains("MISSING_PADDING");
    }

    @Test
    void missingOrUnloadablePolicyAndBrokenAgentConfigFailTheSandbox() {
        assertThat(sandboxFailure(annotation(InitData.builder().put(InitData.AA_TOML, "").build())).getMessage())
                .contains("init-data has no policy.rego");
        assertThat(sandboxFailure(annotation(InitData.builder().put(InitData.POLICY_REGO, "package other\n").build()))
                .getMessage()).contains("timed out connecting to vsock").contains("no 'package agent_policy'");
        assertThat(sandboxFailure(annotation(InitData.builder().put(InitData.POLICY_REGO, "package agent_policy\n")
                .put(InitData.AA_TOML, "[token_configs.kbs\nurl=").build())).getMessage())
                .contains("attestation-agent did not start").contains("aa.toml is not valid TOML");
    }

    @Test
    void tamperedInitDataChangesOneByteAndStaysValid() {
        InitDataDocument doc = InitDataDocument.write(InitData.builder()
                .put(InitData.POLICY_REGO, "package agent_policy\n").build());
        InitDataDocument t = GuestRun.tamperedInitData(doc);
        byte[] a = doc.bytes();
        byte[] b = t.bytes();
        assertThat(b).hasSameSizeAs(a);
        int diffs = 0;
        for (int i = 0; i < a.length; i++) {
            diffs += a[i] != b[i] ? 1 : 0;
        }
        assertThat(diffs).isEqualTo(1);
        assertThat(t.initData()).isEqualTo(doc.initData());
        assertThat(t.digest()).isNotEqualTo(doc.digest());
        assertThatThrownBy(() -> GuestRun.tamperedInitData(null)).isInstanceOf(NullPointerException.class);
    }
}
