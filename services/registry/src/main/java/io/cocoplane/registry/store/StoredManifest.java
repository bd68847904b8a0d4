package io.cocoplane.registry.store;

/**
 * A manifest as stored.
 *
 * @param digest      its digest ({@code algorithm:hex})
 * @param contentType the media type it was pushed with
 * @param size        its length in bytes
 * @param content     its exact bytes, or null when only the headers were asked for
 */
public record StoredManifest(String digest, String contentType, int size, byte[] content) {
}
