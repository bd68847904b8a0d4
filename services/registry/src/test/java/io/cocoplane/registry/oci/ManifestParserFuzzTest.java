package io.cocoplane.registry.oci;

import java.util.Arrays;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzz target for the registry's manifest parser: every manifest PUT body (OCI image manifest and image index, Docker
 * schema 2 manifest and manifest list, artifacts) goes through {@link ManifestParser#parse} with the caller's
 * {@code Content-Type}. In regression mode (plain {@code mvn verify}, execution {@code fuzz}) Jazzer runs the empty
 * input and every file under {@code src/test/resources/io/cocoplane/registry/oci/ManifestParserFuzzTestInputs/manifest/}.
 * Anything but a {@link RegistryException} (the OCI error the client receives, e.g. MANIFEST_INVALID) is a finding.
 * Input layout: byte 0 picks the {@code Content-Type} (modulo the list below), the rest is the body.
 */
class ManifestParserFuzzTest {

    private static final String[] CONTENT_TYPES = {null, "application/vnd.oci.image.manifest.v1+json",
            "application/vnd.oci.image.index.v1+json", "application/vnd.docker.distribution.manifest.v2+json",
            "application/vnd.docker.distribution.manifest.list.v2+json", "application/json", "text/plain"};

    @FuzzTest
    void manifest(byte[] data) {
        String contentType = data.length == 0 ? null : CONTENT_TYPES[(data[0] & 0xff) % CONTENT_TYPES.length];
        byte[] body = data.length == 0 ? data : Arrays.copyOfRange(data, 1, data.length);
        try {
            ManifestParser.parse(body, contentType);
        } catch (RegistryException expected) {
            // the typed refusal the client gets as OCI error JSON
        }
    }
}
