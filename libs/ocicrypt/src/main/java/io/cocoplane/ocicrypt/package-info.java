/**
 * ocicrypt image-layer encryption for cocoplane, Spring-free (registry note {@code registry-ocicrypt.md} §3 and §4).
 *
 * <ul>
 * <li>{@link io.cocoplane.ocicrypt.LayerCipher}: streaming AES-256-CTR + HMAC-SHA256 layer cipher, with the
 * {@link io.cocoplane.ocicrypt.PrivateOptions private} and {@link io.cocoplane.ocicrypt.PublicOptions public}
 * options and {@link io.cocoplane.ocicrypt.OciMediaTypes +encrypted media types}.</li>
 * <li>{@link io.cocoplane.ocicrypt.JweKeyWrapper}: the {@code enc.keys.jwe} recipients (RSA-OAEP, RSA-OAEP-256,
 * ECDH-ES+AxxxKW), keys read by {@link io.cocoplane.ocicrypt.KeyMaterial}.</li>
 * <li>{@link io.cocoplane.ocicrypt.CocoKeyWrapper} and {@link io.cocoplane.ocicrypt.KeyProviderPacket}: the CoCo
 * {@code enc.keys.provider.attestation-agent} packet (A256GCM under a KBS-held KEK found by a
 * {@link io.cocoplane.ocicrypt.KeyResolver}); {@link io.cocoplane.ocicrypt.KeyProviderMessage} for the key-provider
 * protocol JSON.</li>
 * <li>{@link io.cocoplane.ocicrypt.OcicryptLayers}: annotations in, private options out, decrypting stream.</li>
 * <li>{@link io.cocoplane.ocicrypt.ManifestInspector}: per-layer encryption inventory of a manifest (no keys).</li>
 * </ul>
 * Checked failures are {@link io.cocoplane.ocicrypt.OcicryptException}s; stream-time failures are
 * {@link io.cocoplane.ocicrypt.LayerIntegrityException}s ({@link java.io.IOException}s).
 */
package io.cocoplane.ocicrypt;
