package io.cocoplane.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import io.cocoplane.initdata.InitDataDocument;
import io.cocoplane.local.demo.Demo;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issue 8 must-show: {@code cococtl} drives a workload from deploy to RUNNING against the running platform (gateway →
 * orchestrator → simulated Kubernetes API → simulated Kata node: RCAR with the real key broker and attestation
 * service, KEK fetch, layer decryption, pod ready). The state is read back through {@code cococtl workload get} and
 * through the gateway's REST API, and the pod in the Kubernetes API carries the init-data whose digest the workload
 * was scheduled with.
 */
@ExtendWith(RunningStack.class)
class CliDeployToRunningTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void deployWaitReachesRunningAndGetAndTheGatewaySayRunning(RunningStack.Stack stack) {
        RunningStack.PushedImage image = stack.pushedImage();
        Demo.Ctl deploy = stack.deploy("cli-e2e");
        assertThat(deploy.code()).as(deploy.toString()).isZero();
        JsonNode last = deploy.json();
        assertThat(last.path("state").asString()).as(deploy.toString()).isEqualTo("RUNNING");
        String id = last.path("id").asString();
        assertThat(id).isNotBlank();

        Demo.Ctl get = stack.ctlOk("deployer", "workload", "get", id, "--output", "json");
        JsonNode viaCli = get.json();
        assertThat(viaCli.path("id").asString()).isEqualTo(id);
        assertThat(viaCli.path("name").asString()).isEqualTo("cli-e2e");
        assertThat(viaCli.path("state").asString()).isEqualTo("RUNNING");
        assertThat(viaCli.path("requestedImage").asString()).isEqualTo(image.reference());

        HttpResponse<String> r = stack.get(stack.gateway() + "/api/v1/workloads/" + id,
                "Bearer " + stack.token("deployer"));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode viaGateway = JSON.readTree(r.body());
        assertThat(viaGateway.path("state").asString()).isEqualTo("RUNNING");
        assertThat(viaGateway.path("podReady").asBoolean()).isTrue();
        assertThat(viaGateway.path("attested").asBoolean()).isTrue();
        assertThat(viaGateway.path("imageDigest").asString())
                .isEqualTo(image.encryptOutput().path("manifestDigest").asString());
        assertThat(viaGateway.path("allowedResources").toString()).contains(image.kekPath());
        assertThat(viaGateway.path("history").findValuesAsString("to")).contains("RUNNING");

        InitDataDocument pod = stack.initData(id);
        assertThat(pod.digest().hex()).isEqualTo(viaGateway.path("initDataDigest").asString());
        // an unknown workload is a problem+json 404, not a RUNNING by accident
        HttpResponse<String> missing = stack.get(stack.gateway() + "/api/v1/workloads/" + java.util.UUID.randomUUID(),
                "Bearer " + stack.token("deployer"));
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(missing.headers().firstValue("Content-Type")).hasValueSatisfying(
                t -> assertThat(t).startsWith("application/problem+json"));
    }
}
