/**
 * The key broker's domain, free of Spring: envelope encryption of resources ({@link
 * io.cocoplane.keybroker.domain.EnvelopeCipher}, {@link io.cocoplane.keybroker.domain.MasterKeyring}), EAR token
 * verification against the attestation service's JWKS ({@link io.cocoplane.keybroker.domain.EarTokenVerifier}, {@link
 * io.cocoplane.keybroker.domain.JwksCache}), the CEL release policy ({@link io.cocoplane.keybroker.domain.ReleasePolicy},
 * {@link io.cocoplane.keybroker.domain.ReleaseInput}), init-data binding ({@link
 * io.cocoplane.keybroker.domain.InitDataDigests}), admin authentication ({@link
 * io.cocoplane.keybroker.domain.AdminAuthenticator}) and the attestation-service HTTP client with its circuit breaker
 * ({@link io.cocoplane.keybroker.domain.AttestationServiceClient}). Refusals are {@link
 * io.cocoplane.keybroker.domain.KbsException}s carrying their HTTP status.
 */
package io.cocoplane.keybroker.domain;
