package io.cocoplane.keybroker;

import io.cocoplane.kbsprotocol.KbsProtocolException;
import io.cocoplane.kbsprotocol.ResourcePath;
import io.cocoplane.keybroker.domain.KbsException;

/** Parses the raw (undecoded, unnormalized) path after {@code /kbs/v0/resource/} with {@link ResourcePath}. */
final class ResourcePaths {

    private ResourcePaths() {
    }

    /**
     * @param raw the raw text
     * @return the path
     * @throws KbsException 404 {@code InvalidRequestPath} for anything {@link ResourcePath#parse} refuses
     */
    static ResourcePath parse(String raw) {
        try {
            return ResourcePath.parse(raw);
        } catch (KbsProtocolException e) {
            throw KbsException.invalidPath(e.getMessage());
        }
    }
}
