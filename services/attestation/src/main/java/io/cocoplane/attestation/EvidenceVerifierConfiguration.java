package io.cocoplane.attestation;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cocoplane.attestation.core.EvidenceAppraiser;
import io.cocoplane.teeevidence.Certificates;
import io.cocoplane.teeevidence.EvidenceVerifier;
import io.cocoplane.teeevidence.EvidenceVerifiers;
import io.cocoplane.teeevidence.azure.AzSnpVtpmVerifier;
import io.cocoplane.teeevidence.azure.AzTdxVtpmVerifier;
import io.cocoplane.teeevidence.sample.SampleVerifier;
import io.cocoplane.teeevidence.snp.AmdTrustAnchors;
import io.cocoplane.teeevidence.snp.KdsClient;
import io.cocoplane.teeevidence.snp.OfflineKdsStore;
import io.cocoplane.teeevidence.snp.SnpVerifier;
import io.cocoplane.teeevidence.tdx.TdxCollateralStore;
import io.cocoplane.teeevidence.tdx.TdxVerifier;

/**
 * The evidence verifiers of the service, built from {@link AttestationProperties} ({@code cocoplane.attestation.snp},
 * {@code .tdx}, {@code .azure}, {@code .sample-tee}, {@code .development}) with the service clock:
 * {@code snp}, {@code tdx}, {@code az-snp-vtpm} and {@code az-tdx-vtpm} (the Azure ones unless switched off, sharing
 * the SNP/TDX settings), and {@code sample} only when enabled. Every setting that weakens verification is logged as a
 * WARN at start-up; {@code snp.additional-trust-anchors} without {@code development=true} fails start-up.
 */
@Configuration(proxyBeanMethods = false)
public class EvidenceVerifierConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EvidenceVerifierConfiguration.class);

    /**
     * @param props the settings
     * @param clock the service clock (certificate validity, TDX collateral expiry)
     * @return the verifiers
     * @throws IllegalStateException when a configured file or directory cannot be used, or extra trust anchors are
     *         configured outside development mode
     */
    @Bean
    EvidenceVerifiers evidenceVerifiers(AttestationProperties props, Clock clock) {
        return build(props, clock);
    }

    @Bean
    EvidenceAppraiser evidenceAppraiser(EvidenceVerifiers verifiers) {
        return new EvidenceAppraiser(verifiers);
    }

    /**
     * Builds the verifier set (see the class documentation).
     *
     * @param props the settings
     * @param clock the verification clock
     * @return the verifiers
     * @throws IllegalStateException as for {@link #evidenceVerifiers}
     */
    static EvidenceVerifiers build(AttestationProperties props, Clock clock) {
        if (props.development()) {
            log.warn("DEVELOPMENT MODE: cocoplane.attestation.development=true — insecure settings such as "
                    + "snp.additional-trust-anchors are honoured. Never enable this in production.");
        }
        SnpVerifier snp = snpVerifier(props, clock);
        TdxVerifier tdx = tdxVerifier(props.tdx(), clock);
        List<EvidenceVerifier> v = new ArrayList<>(List.of(snp, tdx));
        if (props.azure().snpVtpm()) {
            v.add(new AzSnpVtpmVerifier(snp));
        }
        if (props.azure().tdxVtpm()) {
            v.add(new AzTdxVtpmVerifier(tdx));
        }
        if (props.sampleTee().enabled()) {
            log.warn("DEVELOPMENT SETTING: cocoplane.attestation.sample-tee.enabled=true — the 'sample' TEE is "
                    + "accepted; its evidence proves nothing and anyone can forge it. Never enable this in production.");
            v.add(SampleVerifier.enableForDevelopment());
        }
        log.info("evidence verifiers: {}", v.stream().map(e -> e.tee().wireName()).toList());
        return EvidenceVerifiers.of(v.toArray(EvidenceVerifier[]::new));
    }

    private static SnpVerifier snpVerifier(AttestationProperties props, Clock clock) {
        AttestationProperties.Snp s = props.snp();
        SnpVerifier.Builder b = SnpVerifier.builder().clock(clock)
                .acceptedVersions(s.minReportVersion(), s.maxReportVersion())
                .clockTolerance(s.clockTolerance())
                .allowedVmpls(s.allowedVmpls())
                .acceptExpiredVlek(s.acceptExpiredVlek())
                .trustAnchors(trustAnchors(props));
        if (s.acceptExpiredVlek()) {
            log.warn("cocoplane.attestation.snp.accept-expired-vlek=true: SNP evidence signed by an expired VLEK is "
                    + "accepted with the claims snp.vlek_expired=true and snp.vlek_not_after; policies must weigh them");
        }
        if (!s.allowedVmpls().equals(Set.of(0L))) {
            log.warn("cocoplane.attestation.snp.allowed-vmpls={}: reports from VMPLs other than 0 are accepted",
                    s.allowedVmpls());
        }
        if (s.kdsStore() != null) {
            if (!Files.isDirectory(s.kdsStore())) {
                throw new IllegalStateException("cocoplane.attestation.snp.kds-store " + s.kdsStore()
                        + " is not a directory");
            }
            b.kdsStore(new OfflineKdsStore(s.kdsStore()));
            log.info("SNP offline KDS store: {}", s.kdsStore());
        }
        AttestationProperties.Kds k = s.kds();
        if (k.enabled()) {
            try {
                b.kdsClient(KdsClient.builder().baseUri(k.baseUrl()).timeout(k.timeout())
                        .cache(k.cacheSize(), k.cacheTtl()).rateLimit(k.rateLimit(), k.rateLimitPeriod()).build());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cocoplane.attestation.snp.kds: " + e.getMessage(), e);
            }
            log.info("SNP online KDS fetch enabled: {} (cache {} for {}, at most {} fetches per {})", k.baseUrl(),
                    k.cacheSize(), k.cacheTtl(), k.rateLimit(), k.rateLimitPeriod());
        }
        return b.build();
    }

    private static AmdTrustAnchors trustAnchors(AttestationProperties props) {
        AmdTrustAnchors anchors = AmdTrustAnchors.builtIn();
        List<Path> files = props.snp().additionalTrustAnchors();
        if (files.isEmpty()) {
            return anchors;
        }
        if (!props.development()) {
            throw new IllegalStateException("cocoplane.attestation.snp.additional-trust-anchors is set (" + files
                    + ") but cocoplane.attestation.development is false: extra AMD roots are accepted only in "
                    + "development mode (private test chains, benchmarks). Remove the setting, or set "
                    + "cocoplane.attestation.development=true outside production.");
        }
        for (Path f : files) {
            byte[] pem;
            try {
                pem = Files.readAllBytes(f);
            } catch (IOException e) {
                throw new IllegalStateException("cocoplane.attestation.snp.additional-trust-anchors: " + f
                        + " cannot be read: " + e, e);
            }
            AmdTrustAnchors.Additional extra;
            try {
                extra = AmdTrustAnchors.parsePem(pem, f.toString());
                anchors = anchors.plus(extra);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("cocoplane.attestation.snp.additional-trust-anchors: "
                        + e.getMessage(), e);
            }
            log.warn("DEVELOPMENT SETTING: extra SNP trust anchor {} (SHA-256 {}) from {} accepted for {}{}{} — "
                            + "evidence signed under it is trusted like AMD's", Certificates.commonName(
                            extra.anchors().ark()), fingerprint(extra.anchors().ark()), f,
                    extra.generation().productName(), extra.anchors().ask() == null ? "" : " with its ASK",
                    extra.anchors().asvk() == null ? "" : " and ASVK");
        }
        return anchors;
    }

    private static TdxVerifier tdxVerifier(AttestationProperties.Tdx t, Clock clock) {
        TdxVerifier.Builder b = TdxVerifier.builder().clock(clock);
        if (t.collateralDir() == null) {
            log.info("no TDX collateral directory (cocoplane.attestation.tdx.collateral-dir): every TDX quote gets "
                    + "tcb_status Unknown and collateral_missing=true");
            return b.build();
        }
        TdxCollateralStore store;
        try {
            store = TdxCollateralStore.load(t.collateralDir());
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cocoplane.attestation.tdx.collateral-dir: " + e.getMessage(), e);
        }
        if (!store.hasQeIdentity() || store.tcbInfoCount() == 0) {
            log.warn("TDX collateral directory {} has {} TCB Info(s) and {} QE Identity: quotes get tcb_status "
                            + "Unknown", t.collateralDir(), store.tcbInfoCount(), store.hasQeIdentity() ? "a" : "no");
        } else {
            log.info("TDX collateral from {}: {} TCB Info(s), QE Identity present, {} other JSON file(s) ignored",
                    t.collateralDir(), store.tcbInfoCount(), store.ignored().size());
        }
        return b.collateralStore(store).build();
    }

    private static String fingerprint(java.security.cert.X509Certificate c) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(c.getEncoded()));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            return "?";
        }
    }
}
