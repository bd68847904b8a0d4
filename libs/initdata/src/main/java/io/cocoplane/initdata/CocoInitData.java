package io.cocoplane.initdata;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.dataformat.toml.TomlMapper;

/**
 * Builds the standard CoCo init-data for one workload: {@code aa.toml} and {@code cdh.toml} pointing at a
 * Trustee KBS, plus the {@code policy.rego} of an {@link AgentPolicy}. A policy is mandatory: without one the
 * guest falls back to allow-all (kata {@code tools/osbuilder/rootfs-builder/rootfs.sh}).
 *
 * <p>Generated entries (written with Jackson's TOML generator, keys in this order):
 * <pre>
 * aa.toml:   token_configs.kbs.url = '&lt;kbs url&gt;'
 *            token_configs.kbs.cert = "&lt;PEM&gt;"          (only with a KBS certificate)
 * cdh.toml:  kbc.name = 'cc_kbc'
 *            kbc.url = '&lt;kbs url&gt;'
 *            kbc.kbs_cert = "&lt;PEM&gt;"                    (only with a KBS certificate)
 * </pre>
 * (gc {@code attestation-agent/attestation-agent/config.example.toml} {@code [token_configs.kbs]};
 * gc {@code confidential-data-hub/example.config.toml} {@code [kbc]}; kata {@code initdata.rs} tests.)
 */
public final class CocoInitData {

    /** Longest accepted KBS URL, in characters. */
    public static final int MAX_URL_LENGTH = 2048;
    /** Longest accepted KBS certificate PEM, in characters. */
    public static final int MAX_CERT_PEM_LENGTH = 64 * 1024;

    private static final TomlMapper TOML = new TomlMapper();

    private CocoInitData() {
    }

    /** @return a builder (algorithm defaults to {@link DigestAlgorithm#SHA256}, as genpolicy's default) */
    public static Builder builder() {
        return new Builder();
    }

    /** Builder; not thread-safe. */
    public static final class Builder {
        private URI kbsUrl;
        private String kbsCertPem;
        private AgentPolicy policy;
        private DigestAlgorithm algorithm = DigestAlgorithm.SHA256;

        private Builder() {
        }

        /**
         * @param kbsUrl absolute {@code http} or {@code https} URL of the KBS, with a host, optional port and
         *               path, and no user info, query or fragment; at most {@value CocoInitData#MAX_URL_LENGTH} characters
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#INVALID_KBS_CONFIG} when the URL breaks a rule
         *                           above; {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
         */
        public Builder kbsUrl(URI kbsUrl) {
            InitDataException.requireArgument(kbsUrl, "kbsUrl");
            String s = kbsUrl.toString();
            if (s.length() > MAX_URL_LENGTH) {
                throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG, "KBS URL is too long");
            }
            String scheme = kbsUrl.getScheme();
            if (!kbsUrl.isAbsolute() || kbsUrl.isOpaque()
                    || !("http".equals(scheme) || "https".equals(scheme))) {
                throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG,
                        "KBS URL must be an absolute http or https URL");
            }
            if (kbsUrl.getHost() == null || kbsUrl.getRawUserInfo() != null || kbsUrl.getRawQuery() != null
                    || kbsUrl.getRawFragment() != null) {
                throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG,
                        "KBS URL needs a host and must not have user info, query or fragment");
            }
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c <= 0x20 || c >= 0x7f) {
                    throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG,
                            "KBS URL must be plain ASCII without spaces or controls");
                }
            }
            this.kbsUrl = kbsUrl;
            return this;
        }

        /**
         * Sets the KBS's (self-signed) TLS certificate, trusted by the AA ({@code cert}) and CDH ({@code kbs_cert}).
         *
         * @param pem one or more PEM {@code CERTIFICATE} blocks, at most {@value CocoInitData#MAX_CERT_PEM_LENGTH}
         *            characters; {@code null} removes it
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#INVALID_KBS_CONFIG} when the text is too long,
         *                           does not start with {@code -----BEGIN CERTIFICATE-----} or the JDK X.509
         *                           parser rejects it
         */
        public Builder kbsCertificatePem(String pem) {
            if (pem == null) {
                this.kbsCertPem = null;
                return this;
            }
            if (pem.length() > MAX_CERT_PEM_LENGTH) {
                throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG, "KBS certificate PEM is too long");
            }
            if (!pem.startsWith("-----BEGIN CERTIFICATE-----")) {
                throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG,
                        "KBS certificate must be PEM starting with -----BEGIN CERTIFICATE-----");
            }
            try {
                var certs = CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
                if (certs.isEmpty()) {
                    throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG,
                            "KBS certificate PEM holds no certificate");
                }
            } catch (CertificateException | RuntimeException e) {
                if (e instanceof InitDataException ide) {
                    throw ide;
                }
                throw new InitDataException(InitDataException.Reason.INVALID_KBS_CONFIG,
                        "KBS certificate PEM is not a valid X.509 certificate", e);
            }
            this.kbsCertPem = pem;
            return this;
        }

        /**
         * @param policy the kata-agent policy to ship in {@code policy.rego}
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
         */
        public Builder policy(AgentPolicy policy) {
            this.policy = InitDataException.requireArgument(policy, "policy");
            return this;
        }

        /**
         * @param algorithm the digest algorithm named in the document
         * @return this builder
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} for {@code null}
         */
        public Builder algorithm(DigestAlgorithm algorithm) {
            this.algorithm = InitDataException.requireArgument(algorithm, "algorithm");
            return this;
        }

        /**
         * @return init-data with {@code aa.toml}, {@code cdh.toml} and {@code policy.rego}
         * @throws InitDataException {@link InitDataException.Reason#INVALID_ARGUMENT} when the KBS URL or the
         *                           policy was not set
         */
        public InitData build() {
            if (kbsUrl == null) {
                throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT, "kbsUrl is required");
            }
            if (policy == null) {
                throw new InitDataException(InitDataException.Reason.INVALID_ARGUMENT,
                        "policy is required (the guest default policy is allow-all)");
            }
            Map<String, Object> kbs = new LinkedHashMap<>();
            kbs.put("url", kbsUrl.toString());
            if (kbsCertPem != null) {
                kbs.put("cert", kbsCertPem);
            }
            Map<String, Object> aa = Map.of("token_configs", Map.of("kbs", kbs));

            Map<String, Object> kbc = new LinkedHashMap<>();
            kbc.put("name", "cc_kbc");
            kbc.put("url", kbsUrl.toString());
            if (kbsCertPem != null) {
                kbc.put("kbs_cert", kbsCertPem);
            }
            Map<String, Object> cdh = Map.of("kbc", kbc);

            return InitData.builder()
                    .algorithm(algorithm)
                    .put(InitData.AA_TOML, TOML.writeValueAsString(aa))
                    .put(InitData.CDH_TOML, TOML.writeValueAsString(cdh))
                    .put(InitData.POLICY_REGO, policy.rego())
                    .build();
        }
    }
}
