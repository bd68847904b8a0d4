/**
 * The CoCo KBS RCAR protocol 0.4.0 (design note {@code kbs-attestation.md} §1–§5) without Spring:
 * <ul>
 *   <li>messages as records with strict Jackson 3 parsing and compact serialization — {@link
 *       io.cocoplane.kbsprotocol.Request}, {@link io.cocoplane.kbsprotocol.Challenge}, {@link
 *       io.cocoplane.kbsprotocol.Attestation} (with {@link io.cocoplane.kbsprotocol.InitData}, {@link
 *       io.cocoplane.kbsprotocol.RuntimeData}, {@link io.cocoplane.kbsprotocol.CompositeEvidence}), {@link
 *       io.cocoplane.kbsprotocol.AttestResponse}, {@link io.cocoplane.kbsprotocol.Response} and {@link
 *       io.cocoplane.kbsprotocol.ErrorInformation}; limits in {@link io.cocoplane.kbsprotocol.RcarJson};</li>
 *   <li>the {@code tee-pubkey} JWKs {@link io.cocoplane.kbsprotocol.EcTeePubKey} / {@link
 *       io.cocoplane.kbsprotocol.RsaTeePubKey} and the guest's {@link io.cocoplane.kbsprotocol.TeeKeyPair};</li>
 *   <li>RFC 8785 runtime-data binding, {@link io.cocoplane.kbsprotocol.RuntimeDataHash};</li>
 *   <li>the resource-path grammar, {@link io.cocoplane.kbsprotocol.ResourcePath};</li>
 *   <li>the resource JWE (both directions, byte-exact protected header), {@link io.cocoplane.kbsprotocol.JweCodec};</li>
 *   <li>a client over {@code java.net.http}, {@link io.cocoplane.kbsprotocol.KbsClient}, fed by an {@link
 *       io.cocoplane.kbsprotocol.EvidenceProvider}.</li>
 * </ul>
 * Every failure is a subclass of {@link io.cocoplane.kbsprotocol.KbsProtocolException}.
 */
package io.cocoplane.kbsprotocol;
