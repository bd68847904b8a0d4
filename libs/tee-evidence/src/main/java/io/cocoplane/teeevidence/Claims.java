package io.cocoplane.teeevidence;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * Claims of accepted evidence, shaped like trustee's verifier output ({@code kbs-attestation.md} §5.1, §6.5, §7.3).
 *
 * <p>{@link #teeClaims()} is the object that trustee places under the TEE name (e.g. {@code "snp"}); values are
 * {@link String} (lowercase hex for byte fields), {@link Long}, {@link Boolean}, {@link java.util.List}s of strings
 * (TDX {@code advisory_ids}), or nested {@link Map}s of the same.
 * {@link #reportData()} and {@link #initData()} are the lowercase hex of the evidence's report-data and init-data
 * fields, which trustee's token broker moves to the top level. {@link #toTrusteeMap()} rebuilds the verifier's flat
 * output (TEE claims plus {@code report_data} and {@code init_data}).
 *
 * @param tee the TEE that produced the evidence
 * @param teeClaims claims placed under the TEE name (insertion order preserved, unmodifiable)
 * @param reportData lowercase hex of the evidence's full report-data field
 * @param initData lowercase hex of the evidence's full init-data field (SNP HOST_DATA, TDX MRCONFIGID), or
 *        {@code null} when the evidence has none (sample without {@code init_data})
 */
public record Claims(Tee tee, Map<String, Object> teeClaims, String reportData, String initData) {

    /**
     * @throws NullPointerException when {@code tee}, {@code teeClaims} or {@code reportData} is null
     */
    public Claims {
        Objects.requireNonNull(tee, "tee");
        Objects.requireNonNull(reportData, "reportData");
        teeClaims = Collections.unmodifiableMap(new LinkedHashMap<>(teeClaims));
    }

    /**
     * @param name a claim name, e.g. {@code "measurement"}
     * @return the claim value, or {@code null} when absent
     */
    public Object get(String name) {
        return teeClaims.get(name);
    }

    /**
     * @return the flat map trustee's verifier returns: the TEE claims followed by {@code report_data} and
     *         {@code init_data} (the latter only when present)
     */
    public Map<String, Object> toTrusteeMap() {
        Map<String, Object> m = new LinkedHashMap<>(teeClaims);
        m.put("report_data", reportData);
        if (initData != null) {
            m.put("init_data", initData);
        }
        return Collections.unmodifiableMap(m);
    }
}
