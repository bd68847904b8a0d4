package io.cocoplane.orchestrator;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

/**
 * The fabric8 {@link KubernetesClient}: built from {@code cocoplane.orchestrator.kubernetes.master-url} when set
 * (nothing else is read from the environment then), else auto-configured from the in-cluster service account or the
 * kubeconfig.
 */
@Configuration(proxyBeanMethods = false)
class KubernetesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(KubernetesConfiguration.class);

    @Bean(destroyMethod = "close")
    KubernetesClient kubernetesClient(OrchestratorProperties props) {
        OrchestratorProperties.Kubernetes k = props.kubernetes();
        Config config;
        if (k.masterUrl() != null && !k.masterUrl().isBlank()) {
            ConfigBuilder b = new ConfigBuilder(Config.empty()).withMasterUrl(k.masterUrl());
            if (k.masterUrl().startsWith("http://")) {
                log.warn("Kubernetes API at {} over plain HTTP: use only against a local simulated API server",
                        k.masterUrl());
            }
            config = b.build();
        } else {
            config = Config.autoConfigure(null);
        }
        if (k.trustCerts()) {
            log.warn("cocoplane.orchestrator.kubernetes.trust-certs=true: the Kubernetes API server certificate is NOT "
                    + "verified; development only");
            config.setTrustCerts(true);
            config.setDisableHostnameVerification(true);
        }
        return new KubernetesClientBuilder().withConfig(config).build();
    }
}
