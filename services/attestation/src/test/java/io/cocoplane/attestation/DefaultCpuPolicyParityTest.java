package io.cocoplane.attestation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.cocoplane.attestation.core.CelPolicy;
import io.cocoplane.attestation.core.JsonValues;
import io.cocoplane.attestation.core.ReferenceValueLookup;

/**
 * default_cpu parity with trustee's {@code ear_default_policy_cpu.rego} (kbs-attestation.md §5.3): for each row, the
 * claims (shaped as libs/tee-evidence emits them) and the reference values give the trust vector and {@code ear.status}
 * trustee's Rego gives. Expected values are worked out by hand from the Rego rules, not from this implementation.
 */
class DefaultCpuPolicyParityTest {

    static final CelPolicy DEFAULT_CPU = load();

    static CelPolicy load() {
        try (InputStream in = DefaultCpuPolicyParityTest.class.getResourceAsStream("/policies/default_cpu.json")) {
            return CelPolicy.parse(in.readAllBytes());
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static final String MEASUREMENT = "6a6519d757e68c2e939c9dbbbc1828498e8de35d2766dd05f1a2cca5059d0cf4ae62a36d75c837974dd50b315506e73e";

    /** The Genoa e2e evidence's claims (MANIFEST.md), optionally altered. */
    static Map<String, Object> snp(Map<String, Object> changes) {
        Map<String, Object> c = new HashMap<>(Map.ofEntries(
                Map.entry("policy_abi_major", 0L), Map.entry("policy_abi_minor", 0L),
                Map.entry("policy_smt_allowed", true), Map.entry("policy_migrate_ma", false),
                Map.entry("policy_debug_allowed", false), Map.entry("policy_single_socket", false),
                Map.entry("reported_tcb_bootloader", 10L), Map.entry("reported_tcb_tee", 0L),
                Map.entry("reported_tcb_snp", 23L), Map.entry("reported_tcb_microcode", 25L),
                Map.entry("platform_tsme_enabled", false), Map.entry("platform_smt_enabled", true),
                Map.entry("measurement", MEASUREMENT), Map.entry("chip_id", "371c")));
        c.putAll(changes);
        return Map.of("snp", c, "report_data", "00", "init_data", "00");
    }

    /** Reference values matching the Genoa evidence. */
    static Map<String, Object> snpRv(Map<String, Object> changes) {
        Map<String, Object> rv = new HashMap<>(Map.ofEntries(
                Map.entry("snp_launch_measurement", List.of(MEASUREMENT)),
                Map.entry("snp_bootloader", List.of(10L)), Map.entry("snp_microcode", List.of(25L)),
                Map.entry("snp_snp_svn", List.of(23L)), Map.entry("snp_tee_svn", List.of(0L)),
                Map.entry("snp_smt_enabled", true), Map.entry("snp_tsme_enabled", false),
                Map.entry("snp_guest_abi_major", 0L), Map.entry("snp_guest_abi_minor", 0L),
                Map.entry("snp_single_socket", false), Map.entry("snp_smt_allowed", true)));
        rv.putAll(changes);
        rv.values().removeIf(v -> v == ABSENT);
        return rv;
    }

    static final Object ABSENT = new Object();

    static Map<String, Object> tdx(boolean debug, String tcbStatus, boolean withEvents) {
        Map<String, Object> tdx = new HashMap<>();
        tdx.put("quote", Map.of(
                "header", Map.of("tee_type", "81000000", "vendor_id", "939a7233f79c4ca9940a0db3957f0607"),
                "body", Map.of("mr_td", "aa", "rtmr_1", "r1", "rtmr_2", "r2", "xfam", "e742060000000000")));
        tdx.put("td_attributes", Map.of("debug", debug));
        tdx.put("tcb_status", tcbStatus);
        tdx.put("collateral_expiration_status", "0");
        if (withEvents) {
            tdx.put("uefi_event_logs", List.of(
                    Map.of("type_name", "EV_EFI_BOOT_SERVICES_APPLICATION",
                            "details", Map.of("device_paths", List.of("File(kernel)")),
                            "digests", List.of(Map.of("alg", "SHA-384", "digest", "kk"))),
                    Map.of("type_name", "EV_EVENT_TAG", "details", Map.of("string", "LOADED_IMAGE::LoadOptions"),
                            "digests", List.of(Map.of("alg", "SHA-384", "digest", "pp")))));
        }
        return Map.of("tdx", tdx, "report_data", "00");
    }

    static final Map<String, Object> TDX_RV = Map.of("rtmr_1", List.of("r1"), "rtmr_2", List.of("r2"),
            "mr_td", List.of("aa"), "xfam", List.of("e742060000000000"), "tdvfkernel", "kk",
            "tdvfkernelparams", "pp");

    static Map<String, Object> sample() {
        return Map.of("sample", Map.of("svn", "1", "launch_digest", "abcde",
                "platform_version", Map.of("major", 1L, "minor", 4L), "debug", false), "report_data", "00");
    }

    static final Map<String, Object> SAMPLE_RV = Map.of("launch_digest", List.of("abcde"), "svn", List.of("1"),
            "major_version", 1L, "minimum_minor_version", 4L);

    static Stream<Arguments> table() {
        return Stream.of(
                // name, input, reference values, executables, hardware, configuration, status
                Arguments.of("snp, no reference values (note 5.1 example)", snp(Map.of()), Map.of(), 33, 97, 3,
                        "contraindicated"),
                Arguments.of("snp, all reference values match", snp(Map.of()), snpRv(Map.of()), 3, 2, 2, "affirming"),
                Arguments.of("snp, unknown measurement", snp(Map.of()),
                        snpRv(Map.of("snp_launch_measurement", List.of("00"))), 33, 2, 2, "warning"),
                Arguments.of("snp, microcode not approved", snp(Map.of()),
                        snpRv(Map.of("snp_microcode", List.of(26L))), 3, 97, 2, "contraindicated"),
                Arguments.of("snp, one configuration value missing → configuration 3", snp(Map.of()),
                        snpRv(Map.of("snp_smt_allowed", ABSENT)), 3, 2, 3, "affirming"),
                Arguments.of("snp, smt value is an array, compared with == → configuration 3", snp(Map.of()),
                        snpRv(Map.of("snp_smt_enabled", List.of(true))), 3, 2, 3, "affirming"),
                Arguments.of("snp, debug allowed", snp(Map.of("policy_debug_allowed", true)), snpRv(Map.of()), 3, 2,
                        36, "warning"),
                Arguments.of("snp, migration agent allowed", snp(Map.of("policy_migrate_ma", true)),
                        snpRv(Map.of()), 3, 2, 36, "warning"),
                Arguments.of("snp, svn stored as string does not match a number", snp(Map.of()),
                        snpRv(Map.of("snp_bootloader", List.of("10"))), 3, 97, 2, "contraindicated"),
                Arguments.of("tdx, everything approved", tdx(false, "UpToDate", true), TDX_RV, 3, 2, 2, "affirming"),
                Arguments.of("tdx, no UEFI events → executables 4", tdx(false, "UpToDate", false), TDX_RV, 4, 2, 2,
                        "affirming"),
                Arguments.of("tdx, TCB out of date", tdx(false, "OutOfDate", true), TDX_RV, 3, 97, 2,
                        "contraindicated"),
                Arguments.of("tdx, debug TD", tdx(true, "UpToDate", true), TDX_RV, 3, 2, 36, "warning"),
                Arguments.of("tdx, no reference values", tdx(false, "UpToDate", true), Map.of(), 33, 97, 36,
                        "contraindicated"),
                Arguments.of("sample, reference values match", sample(), SAMPLE_RV, 3, 2, 2, "affirming"),
                Arguments.of("sample, no reference values", sample(), Map.of(), 33, 97, 2, "contraindicated"),
                Arguments.of("sample, minor version below minimum", sample(),
                        Map.of("launch_digest", List.of("abcde"), "svn", List.of("1"), "major_version", 1L,
                                "minimum_minor_version", 5L), 3, 97, 2, "contraindicated"),
                Arguments.of("snp reference values do not help sample evidence", sample(), snpRv(Map.of()), 33, 97, 2,
                        "contraindicated"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("table")
    void defaultCpuGivesTrusteesStatus(String name, Map<String, Object> input, Map<String, Object> rv,
                                       int executables, int hardware, int configuration, String status) {
        @SuppressWarnings("unchecked")
        Map<String, Object> in = (Map<String, Object>) JsonValues.normalize(input);
        ReferenceValueLookup lookup = n -> Optional.ofNullable(rv.get(n));
        CelPolicy.Appraisal a = DEFAULT_CPU.evaluate(in, lookup);
        assertThat(a.trustVector().get("executables")).as("executables").isEqualTo(executables);
        assertThat(a.trustVector().get("hardware")).as("hardware").isEqualTo(hardware);
        assertThat(a.trustVector().get("configuration")).as("configuration").isEqualTo(configuration);
        for (String other : List.of("instance-identity", "file-system", "runtime-opaque", "storage-opaque",
                "sourced-data")) {
            assertThat(a.trustVector().get(other)).as(other).isZero();
        }
        assertThat(a.status().wireName()).isEqualTo(status);
    }
}
