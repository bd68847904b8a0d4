package io.cocoplane.registry.archfixture;

import io.cocoplane.audit.archfixture.AuditThing;

/** Rule fixture: a service class that imports another service. Never shipped. */
public class ImportsAnotherService {
    public AuditThing other() {
        return new AuditThing();
    }
}
