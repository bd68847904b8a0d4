package io.cocoplane.gateway.upstream;

/** The gateway has no admin credential configured for the key broker (HTTP 503). */
public class AdminCredentialMissingException extends RuntimeException {

    /** Creates it with a message naming the missing setting. */
    public AdminCredentialMissingException() {
        super("the gateway has no key broker admin credential (cocoplane.gateway.keybroker-admin.private-key)");
    }
}
