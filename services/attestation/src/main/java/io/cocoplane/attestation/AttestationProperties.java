package io.cocoplane.attestation;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings under {@code cocoplane.attestation}. Invalid values fail start-up with the property named (binding errors
 * carry the {@link IllegalArgumentException} messages of the compact constructors below).
 *
 * @param sampleTee              the development-only sample TEE
 * @param development            development mode (default false): allows the insecure settings that say so
 *                               ({@code snp.additional-trust-anchors}); logged as a WARN when true
 * @param tokenLifetime          EAR token {@code exp − iat} (trustee default 5 minutes)
 * @param issuer                 EAR token {@code iss} (trustee default {@code CoCo-Attestation-Service})
 * @param signingKeyFile         a PKCS#8 PEM EC P-256 key file to sign with; when unset the key is generated on
 *                               first start and kept in {@code attestation.signing_key}
 * @param referenceValueValidity how long a registered reference value stays live when its message names no expiration
 *                               (trustee: 12 months)
 * @param admin                  admin API authentication
 * @param snp                    AMD SEV-SNP verifier settings (also used for the SNP report inside
 *                               {@code az-snp-vtpm} evidence)
 * @param tdx                    Intel TDX verifier settings (also used for the TD quote inside {@code az-tdx-vtpm})
 * @param azure                  which Azure vTPM evidence kinds are accepted
 */
@ConfigurationProperties("cocoplane.attestation")
public record AttestationProperties(@DefaultValue SampleTee sampleTee,
                                    @DefaultValue("false") boolean development,
                                    @DefaultValue("5m") Duration tokenLifetime,
                                    @DefaultValue("CoCo-Attestation-Service") String issuer,
                                    Path signingKeyFile,
                                    @DefaultValue("365d") Duration referenceValueValidity,
                                    @DefaultValue Admin admin,
                                    @DefaultValue Snp snp,
                                    @DefaultValue Tdx tdx,
                                    @DefaultValue Azure azure) {

    /**
     * @param enabled accept {@code sample} evidence, which anyone can forge; a development setting, logged as a WARN
     */
    public record SampleTee(@DefaultValue("false") boolean enabled) {
    }

    /**
     * Admin bearer-JWT verification. With neither key set, every admin call answers 401.
     *
     * @param publicKey     Ed25519 public key: PEM {@code PUBLIC KEY} or OKP JWK JSON
     * @param publicKeyFile a file holding the same
     * @param issuer        required {@code iss}, optional
     * @param audience      required {@code aud}, optional
     */
    public record Admin(String publicKey, Path publicKeyFile, String issuer, String audience) {
    }

    /**
     * SEV-SNP verification ({@code kbs-attestation.md} §6.4; {@code libs/tee-evidence} {@code SnpVerifier}).
     *
     * @param minReportVersion       lowest accepted attestation-report version, 2…5 (default 3, as trustee; version 2
     *                               reports carry no CPUID, so their generation is guessed from the chip id)
     * @param maxReportVersion       highest accepted version, {@code min}…5 (default 5)
     * @param kdsStore               offline KDS store directory, trustee's layout
     *                               {@code <dir>/vcek/<hwid-hex>/<tcb>_vcek.der} or {@code …/vcek.der}; consulted when
     *                               the evidence carries no VCEK/VLEK (default none)
     * @param kds                    online fetch from AMD's KDS when neither the evidence nor the store has the VCEK
     *                               (default off)
     * @param clockTolerance         skew accepted at both ends of each AMD certificate's validity period, 0…1 day
     *                               (default 0s)
     * @param acceptExpiredVlek      accept a VLEK past its {@code notAfter}, adding the claims
     *                               {@code snp.vlek_expired = true} and {@code snp.vlek_not_after} (default false: an
     *                               expired VLEK is refused with check {@code cert_validity}); logged as a WARN
     * @param allowedVmpls           VMPLs a report may come from, a non-empty subset of 0…3 (default {@code [0]}, as
     *                               trustee)
     * @param additionalTrustAnchors PEM files, each holding one extra self-signed ARK ({@code CN=ARK-<Milan|Genoa|Turin>})
     *                               and optionally its ASK / ASVK, tried after AMD's built-in roots — for private test
     *                               chains and benchmarks only: honoured only with {@code development=true} (logged as
     *                               a WARN naming each ARK), refused at start-up otherwise (default none)
     */
    public record Snp(@DefaultValue("3") int minReportVersion,
                      @DefaultValue("5") int maxReportVersion,
                      Path kdsStore,
                      @DefaultValue Kds kds,
                      @DefaultValue("0s") Duration clockTolerance,
                      @DefaultValue("false") boolean acceptExpiredVlek,
                      @DefaultValue("0") Set<Long> allowedVmpls,
                      List<Path> additionalTrustAnchors) {

        /** Largest accepted clock tolerance. */
        public static final Duration MAX_CLOCK_TOLERANCE = Duration.ofDays(1);
        /** Most additional trust-anchor files. */
        public static final int MAX_ADDITIONAL_TRUST_ANCHORS = 16;

        /** @throws IllegalArgumentException when a value is out of its documented range */
        public Snp {
            if (minReportVersion < 2 || maxReportVersion > 5 || minReportVersion > maxReportVersion) {
                throw new IllegalArgumentException("snp.min-report-version and snp.max-report-version must satisfy "
                        + "2 <= min <= max <= 5, got " + minReportVersion + ".." + maxReportVersion);
            }
            if (clockTolerance.isNegative() || clockTolerance.compareTo(MAX_CLOCK_TOLERANCE) > 0) {
                throw new IllegalArgumentException("snp.clock-tolerance must be 0s..1d, got " + clockTolerance);
            }
            if (allowedVmpls == null || allowedVmpls.isEmpty()
                    || allowedVmpls.stream().anyMatch(v -> v == null || v < 0 || v > 3)) {
                throw new IllegalArgumentException("snp.allowed-vmpls must be a non-empty subset of 0..3, got "
                        + allowedVmpls);
            }
            allowedVmpls = Set.copyOf(new TreeSet<>(allowedVmpls));
            additionalTrustAnchors = additionalTrustAnchors == null ? List.of() : List.copyOf(additionalTrustAnchors);
            if (additionalTrustAnchors.size() > MAX_ADDITIONAL_TRUST_ANCHORS) {
                throw new IllegalArgumentException("snp.additional-trust-anchors holds at most "
                        + MAX_ADDITIONAL_TRUST_ANCHORS + " files");
            }
        }
    }

    /**
     * Online VCEK fetch from AMD's Key Distribution Service ({@code libs/tee-evidence} {@code KdsClient}): successful
     * answers are cached, network fetches are rate limited (over the limit the evidence is refused at once with check
     * {@code endorsement}, nothing queues). The fetched VCEK is verified against the ARK like any other.
     *
     * @param enabled        fetch VCEKs online (default false: nothing leaves the service)
     * @param baseUrl        KDS base URL, http(s) (default {@code https://kdsintf.amd.com}; a caching mirror works)
     * @param timeout        connect and request timeout, positive (default 10s)
     * @param cacheSize      most cached certificates, ≥ 1 (default 1024)
     * @param cacheTtl       how long a fetched certificate stays cached, positive (default 24h)
     * @param rateLimit      most network fetches per {@code rate-limit-period}, ≥ 1 (default 30)
     * @param rateLimitPeriod the rate-limit period, positive (default 1m)
     */
    public record Kds(@DefaultValue("false") boolean enabled,
                      @DefaultValue("https://kdsintf.amd.com") URI baseUrl,
                      @DefaultValue("10s") Duration timeout,
                      @DefaultValue("1024") long cacheSize,
                      @DefaultValue("24h") Duration cacheTtl,
                      @DefaultValue("30") int rateLimit,
                      @DefaultValue("1m") Duration rateLimitPeriod) {
    }

    /**
     * Intel TDX verification ({@code kbs-attestation.md} §7.2; {@code libs/tee-evidence} {@code TdxVerifier}).
     *
     * @param collateralDir directory of Intel PCS v4 collateral read at start-up: TCB Info JSON documents (one per
     *                      FMSPC) and the {@code TD_QE} QE Identity ({@code TdxCollateralStore}); a platform whose
     *                      FMSPC has no TCB Info there, or any platform when the directory is unset or holds no QE
     *                      Identity, gets {@code tdx.tcb_status = "Unknown"} and {@code tdx.collateral_missing = true}
     *                      (default none)
     */
    public record Tdx(Path collateralDir) {
    }

    /**
     * Azure confidential VMs with a paravisor vTPM ({@code kbs-attestation.md} §8). Their SNP report / TD quote is
     * verified with the {@code snp} / {@code tdx} settings above.
     *
     * @param snpVtpm accept {@code az-snp-vtpm} evidence (default true)
     * @param tdxVtpm accept {@code az-tdx-vtpm} evidence (default true)
     */
    public record Azure(@DefaultValue("true") boolean snpVtpm, @DefaultValue("true") boolean tdxVtpm) {
    }
}
