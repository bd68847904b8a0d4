package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.cocoplane.teeevidence.Claims;
import io.cocoplane.teeevidence.EvidenceRefusedException.ChainInvalid;
import io.cocoplane.teeevidence.EvidenceVerifiers;
import io.cocoplane.teeevidence.ExpectedValues;
import io.cocoplane.teeevidence.Tee;

/**
 * The verifier wiring from {@code cocoplane.attestation.*} in a real (small) Spring context: which TEEs are accepted,
 * the development-only extra SNP trust anchors (WARN when honoured, start-up failure otherwise), and start-up failures
 * that name the bad property.
 */
@ExtendWith(OutputCaptureExtension.class)
class EvidenceVerifierConfigurationTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(AttestationProperties.class)
    static class Base {
        @Bean
        Clock clock() {
            return Clock.systemUTC();
        }
    }

    final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(Base.class, EvidenceVerifierConfiguration.class);

    static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        return c.getMessage();
    }

    @Test
    void defaultsAcceptSnpTdxAndBothAzureVariantsButNeverSample() {
        runner.run(ctx -> {
            assertThat(ctx).hasNotFailed();
            EvidenceVerifiers v = ctx.getBean(EvidenceVerifiers.class);
            for (Tee t : new Tee[] {Tee.SNP, Tee.TDX, Tee.AZ_SNP_VTPM, Tee.AZ_TDX_VTPM}) {
                assertThat(v.forTee(t)).as(t.wireName()).isPresent();
            }
            assertThat(v.forTee(Tee.SAMPLE)).isEmpty();
        });
        runner.withPropertyValues("cocoplane.attestation.azure.snp-vtpm=false",
                "cocoplane.attestation.azure.tdx-vtpm=false").run(ctx -> {
            EvidenceVerifiers v = ctx.getBean(EvidenceVerifiers.class);
            assertThat(v.forTee(Tee.AZ_SNP_VTPM)).isEmpty();
            assertThat(v.forTee(Tee.AZ_TDX_VTPM)).isEmpty();
            assertThat(v.forTee(Tee.SNP)).isPresent();
        });
    }

    @Test
    void defaultPropertyValuesAreTheDocumentedOnes() {
        AttestationProperties p = TestSupport.properties();
        assertThat(p.development()).isFalse();
        assertThat(p.snp().minReportVersion()).isEqualTo(3);
        assertThat(p.snp().maxReportVersion()).isEqualTo(5);
        assertThat(p.snp().allowedVmpls()).containsExactly(0L);
        assertThat(p.snp().acceptExpiredVlek()).isFalse();
        assertThat(p.snp().clockTolerance()).isZero();
        assertThat(p.snp().kdsStore()).isNull();
        assertThat(p.snp().additionalTrustAnchors()).isEmpty();
        assertThat(p.snp().kds().enabled()).isFalse();
        assertThat(p.snp().kds().baseUrl()).hasToString("https://kdsintf.amd.com");
        assertThat(p.snp().kds().rateLimit()).isEqualTo(30);
        assertThat(p.snp().kds().rateLimitPeriod()).hasMinutes(1);
        assertThat(p.snp().kds().cacheSize()).isEqualTo(1024);
        assertThat(p.snp().kds().cacheTtl()).hasHours(24);
        assertThat(p.snp().kds().timeout()).hasSeconds(10);
        assertThat(p.tdx().collateralDir()).isNull();
        assertThat(p.azure().snpVtpm()).isTrue();
        assertThat(p.azure().tdxVtpm()).isTrue();
        AttestationProperties q = TestSupport.properties("snp.allowed-vmpls=0,1", "snp.min-report-version=2",
                "snp.clock-tolerance=5m", "snp.accept-expired-vlek=true");
        assertThat(q.snp().allowedVmpls()).containsExactlyInAnyOrder(0L, 1L);
        assertThat(q.snp().minReportVersion()).isEqualTo(2);
        assertThat(q.snp().clockTolerance()).hasMinutes(5);
        assertThat(q.snp().acceptExpiredVlek()).isTrue();
    }

    @Test
    void extraTrustAnchorsAreRefusedAtStartUpOutsideDevelopment(@TempDir Path dir) throws Exception {
        Path pem = SyntheticSnp.writeAnchorPem(dir);
        runner.withPropertyValues("cocoplane.attestation.snp.additional-trust-anchors=" + pem).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessage(ctx.getStartupFailure()))
                    .contains("cocoplane.attestation.snp.additional-trust-anchors is set")
                    .contains("cocoplane.attestation.development is false");
        });
    }

    @Test
    void extraTrustAnchorsAreHonouredInDevelopmentAndLoggedAsAWarning(@TempDir Path dir, CapturedOutput out)
            throws Exception {
        Path pem = SyntheticSnp.writeAnchorPem(dir);
        byte[] reportData = new byte[48];
        byte[] evidence = SyntheticSnp.evidence(reportData, new byte[32]);
        // AMD's roots only: the test chain is refused
        assertThatThrownBy(() -> EvidenceVerifierConfiguration.build(TestSupport.properties(), Clock.systemUTC())
                .forTee(Tee.SNP).orElseThrow().verify(evidence, ExpectedValues.reportData(reportData)))
                .isInstanceOf(ChainInvalid.class);
        runner.withPropertyValues("cocoplane.attestation.development=true",
                "cocoplane.attestation.snp.additional-trust-anchors=" + pem).run(ctx -> {
            assertThat(ctx).hasNotFailed();
            Claims c = ctx.getBean(EvidenceVerifiers.class).forTee(Tee.SNP).orElseThrow()
                    .verify(evidence, ExpectedValues.reportData(reportData));
            assertThat(c.get("measurement")).isEqualTo(SyntheticSnp.MEASUREMENT);
        });
        assertThat(out.getAll()).contains("WARN").contains("DEVELOPMENT MODE")
                .contains("DEVELOPMENT SETTING: extra SNP trust anchor ARK-Genoa").contains(pem.toString());
    }

    @Test
    void badSettingsFailStartUpNamingTheProperty(@TempDir Path dir) throws Exception {
        Map<String, String> cases = Map.of(
                "cocoplane.attestation.snp.min-report-version=6", "snp.min-report-version",
                "cocoplane.attestation.snp.allowed-vmpls=0,4", "snp.allowed-vmpls",
                "cocoplane.attestation.snp.clock-tolerance=-1s", "snp.clock-tolerance",
                "cocoplane.attestation.snp.kds-store=" + dir.resolve("absent"), "snp.kds-store",
                "cocoplane.attestation.tdx.collateral-dir=" + dir.resolve("absent"), "tdx.collateral-dir");
        cases.forEach((property, named) -> runner.withPropertyValues(property).run(ctx -> {
            assertThat(ctx).as(property).hasFailed();
            assertThat(ctx.getStartupFailure()).as(property).hasStackTraceContaining(named);
        }));
        runner.withPropertyValues("cocoplane.attestation.snp.kds.enabled=true",
                "cocoplane.attestation.snp.kds.base-url=file:///etc").run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(rootMessage(ctx.getStartupFailure())).contains("KDS base URI must be http(s)");
            assertThat(ctx.getStartupFailure()).hasStackTraceContaining("cocoplane.attestation.snp.kds");
        });
        Path notPem = dir.resolve("not.pem");
        Files.writeString(notPem, "hello");
        runner.withPropertyValues("cocoplane.attestation.development=true",
                "cocoplane.attestation.snp.additional-trust-anchors=" + notPem).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).hasStackTraceContaining("additional-trust-anchors")
                    .hasStackTraceContaining("not.pem");
        });
    }

    @Test
    void theOnlineKdsIsUsedOnlyWhenEnabled(@TempDir Path dir) throws Exception {
        io.cocoplane.teeevidence.snp.SnpFixtures.Report spec = new io.cocoplane.teeevidence.snp.SnpFixtures.Report();
        var vcek = SyntheticSnp.freshVcek(spec);
        byte[] rawReport = io.cocoplane.teeevidence.snp.SnpFixtures.sign(spec.bytes(), vcek.key().getPrivate());
        String path = "/vcek/v1/Genoa/" + SyntheticSnp.CHIP_ID + "?blSPL=10&teeSPL=00&snpSPL=23&ucodeSPL=25";
        java.util.List<String> requests = new java.util.concurrent.CopyOnWriteArrayList<>();
        com.sun.net.httpserver.HttpServer kds = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        byte[] der = vcek.cert().getEncoded();
        kds.createContext("/", ex -> {
            requests.add(ex.getRequestURI().toString());
            if (ex.getRequestURI().toString().equals(path)) {
                ex.sendResponseHeaders(200, der.length);
                ex.getResponseBody().write(der);
            } else {
                ex.sendResponseHeaders(404, -1);
            }
            ex.close();
        });
        kds.start();
        try {
            Path pem = SyntheticSnp.writeAnchorPem(dir);
            ApplicationContextRunner dev = runner.withPropertyValues("cocoplane.attestation.development=true",
                    "cocoplane.attestation.snp.additional-trust-anchors=" + pem,
                    "cocoplane.attestation.snp.kds.base-url=http://127.0.0.1:" + kds.getAddress().getPort());
            dev.run(ctx -> assertThatThrownBy(() -> ctx.getBean(EvidenceVerifiers.class).forTee(Tee.SNP)
                    .orElseThrow().verify(rawReport, ExpectedValues.none()))
                    .isInstanceOf(io.cocoplane.teeevidence.EvidenceRefusedException.EndorsementMissing.class));
            assertThat(requests).isEmpty();
            dev.withPropertyValues("cocoplane.attestation.snp.kds.enabled=true").run(ctx -> {
                Claims c = ctx.getBean(EvidenceVerifiers.class).forTee(Tee.SNP).orElseThrow()
                        .verify(rawReport, ExpectedValues.none());
                assertThat(c.get("chip_id")).isEqualTo(SyntheticSnp.CHIP_ID);
            });
            assertThat(requests).containsExactly(path);
        } finally {
            kds.stop(0);
        }
    }

    @Test
    void aTdxCollateralDirectoryIsReadAtStartUp(@TempDir Path dir, CapturedOutput out) throws Exception {
        Files.writeString(dir.resolve("qe.json"), "{\"enclaveIdentity\":{\"id\":\"TD_QE\",\"version\":2}}");
        runner.withPropertyValues("cocoplane.attestation.tdx.collateral-dir=" + dir)
                .run(ctx -> assertThat(ctx).hasNotFailed());
        assertThat(out.getAll()).contains("TDX collateral directory " + dir + " has 0 TCB Info(s) and a QE Identity");
        Files.writeString(dir.resolve("tcb.json"), "{\"tcbInfo\":{\"id\":\"TDX\",\"version\":2,\"fmspc\":\"00a06d080000\"}}");
        runner.withPropertyValues("cocoplane.attestation.tdx.collateral-dir=" + dir).run(ctx -> {
            assertThat(ctx).hasFailed();
            assertThat(ctx.getStartupFailure()).hasStackTraceContaining("tdx.collateral-dir")
                    .hasStackTraceContaining("tcb.json");
        });
    }
}
