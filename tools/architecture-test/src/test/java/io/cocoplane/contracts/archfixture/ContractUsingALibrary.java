package io.cocoplane.contracts.archfixture;

import io.cocoplane.audit.archfixture.AuditThing;

/** Rule fixture: a contract class that imports something else of ours. Never shipped. */
public class ContractUsingALibrary {
    public Object other() {
        return new AuditThing();
    }
}
