/**
 * TEE evidence verification with trustee-compatible claims ({@code shared/design/kbs-attestation.md} §4–§8).
 *
 * <p>Entry points: {@link io.cocoplane.teeevidence.EvidenceVerifier} (one per TEE:
 * {@link io.cocoplane.teeevidence.snp.SnpVerifier}, {@link io.cocoplane.teeevidence.tdx.TdxVerifier},
 * {@link io.cocoplane.teeevidence.azure.AzSnpVtpmVerifier}, and the development-only
 * {@link io.cocoplane.teeevidence.sample.SampleVerifier}), {@link io.cocoplane.teeevidence.EvidenceVerifiers} (lookup by
 * {@link io.cocoplane.teeevidence.Tee}), {@link io.cocoplane.teeevidence.ExpectedValues} (report data and init-data
 * digest to bind), {@link io.cocoplane.teeevidence.Claims} (the result) and the sealed
 * {@link io.cocoplane.teeevidence.EvidenceRefusedException} hierarchy (every refusal names its check). No network
 * access: endorsements come from the evidence, bundled AMD/Intel roots or offline stores.
 */
package io.cocoplane.teeevidence;
