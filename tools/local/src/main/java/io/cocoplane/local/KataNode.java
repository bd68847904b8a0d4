package io.cocoplane.local;

import java.net.URI;
import java.nio.file.Path;

import io.cocoplane.katasim.KataNodeConfig;
import io.cocoplane.katasim.KataNodeSimulator;
import io.cocoplane.katasim.RegistryAuth;
import io.cocoplane.katasim.TamperPolicy;

/**
 * The simulated Kata node (issue 9 §1, ARCHITECTURE §6): {@code tools/kata-sim}'s {@link KataNodeSimulator}, run
 * inside the supervisor against {@link KubernetesApiNode#client()}. It plays the guest of every pod with a
 * {@code kata.*} RuntimeClass in namespace {@code default}: init-data, RCAR with {@code sample} evidence against the
 * key broker named in the init-data, KEK fetch, layer decryption, kubelet-like pod status. It pulls from the
 * registry with a registry client of its own ({@link DevCredentials#KATA_NODE_USER}, role {@code deployer}: pull
 * only) through the gateway's token endpoint, over plain HTTP to loopback (the development switch it logs).
 * Tampering for the demo's denial paths: {@code .cocoplane/local/tamper.properties},
 * {@code <workload-name>=NONE|WRONG_INIT_DATA|WRONG_MEASUREMENT}, re-read for every pod, absent = none.
 */
final class KataNode {

    /** File name of the tamper policy in the stack directory. */
    static final String TAMPER_FILE = "tamper.properties";

    private KataNode() {
    }

    /**
     * @param api         the simulated Kubernetes API
     * @param paths       the stack's directories
     * @param ports       the stack's ports
     * @param credentials the node's registry credentials
     * @return the running node (close it on shutdown)
     * @throws IllegalArgumentException when the simulator refuses its configuration
     */
    static KataNodeSimulator start(KubernetesApiNode api, StackPaths paths, Ports ports,
                                   DevCredentials credentials) {
        Path work = paths.home().resolve("kata-node");
        SecureFiles.directory(work);
        KataNodeConfig config = KataNodeConfig.builder(work)
                .allowPlainHttpToLoopback(true)
                .registryAuth(RegistryAuth.tokenEndpoint(URI.create("http://127.0.0.1:" + ports.gateway()
                        + "/auth/token"), DevCredentials.KATA_NODE_USER, credentials.kataNodePassword()))
                .tamperPolicy(TamperPolicy.file(paths.home().resolve(TAMPER_FILE)))
                .build();
        return KataNodeSimulator.start(api.client(), config);
    }

    /**
     * @param paths the stack's directories
     * @return what the summary says about the node
     */
    static String describe(StackPaths paths) {
        return "simulated, in the supervisor (pods with a kata-* RuntimeClass in namespace default; tamper file "
                + paths.home().resolve(TAMPER_FILE) + ")";
    }
}
