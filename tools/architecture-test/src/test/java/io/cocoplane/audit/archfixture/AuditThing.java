package io.cocoplane.audit.archfixture;

/** Rule fixture: a class of one service. Never shipped. */
public class AuditThing {
}
