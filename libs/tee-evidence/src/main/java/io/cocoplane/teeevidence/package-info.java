/**
 * TEE evidence verification with trustee-compatible claims ({@code shared/design/kbs-attestation.md} §4–§8).
 *
 * <p>Entry points: {@link io.cocoplane.teeevidence.EvidenceVerifier} (one per TEE:
 * {@link io.cocoplane.teeevidence.snp.SnpVerifier}, {@link io.cocoplane.teeevidence.tdx.TdxVerifier},
 * {@link io.cocoplane.teeevidence.azure.AzSnpVtpmVerifier}, {@link io.cocoplane.teeevidence.azure.AzTdxVtpmVerifier},
 * and the development-only
 * {@link io.cocoplane.teeevidence.sample.SampleVerifier}), {@link io.cocoplane.teeevidence.EvidenceVerifiers} (lookup by
 * {@link io.cocoplane.teeevidence.Tee}), {@link io.cocoplane.teeevidence.ExpectedValues} (report data and init-data
 * digest to bind), {@link io.cocoplane.teeevidence.Claims} (the result) and the sealed
 * {@link io.cocoplane.teeevidence.EvidenceRefusedException} hierarchy (every refusal names its check). No network
 * access unless the caller configures the one online source, AMD's KDS for missing VCEKs
 * ({@link io.cocoplane.teeevidence.snp.KdsClient}, cached and rate limited): endorsements otherwise come from the
 * evidence, bundled AMD/Intel roots (plus extra AMD anchors a caller adds, {@link
 * io.cocoplane.teeevidence.snp.AmdTrustAnchors#plus}) or offline stores ({@link
 * io.cocoplane.teeevidence.snp.OfflineKdsStore}, {@link io.cocoplane.teeevidence.tdx.TdxCollateralStore}).
 */
package io.cocoplane.teeevidence;
