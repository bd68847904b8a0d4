package io.cocoplane.attestation;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.attestation.core.BadRequestException;
import io.cocoplane.attestation.core.CelPolicy;
import io.cocoplane.attestation.core.ReferenceValueMessage;
import io.cocoplane.contracts.PolicyUpdated;
import io.cocoplane.contracts.ReferenceValueUpdated;
import io.cocoplane.eventing.EventPublisher;
import tools.jackson.databind.JsonNode;

/**
 * Admin changes: each store and its event ({@code reference-value.updated}, {@code policy.updated} with kind
 * {@code attestation}) commit in one transaction.
 */
public class AdminService {

    private final ReferenceValueStore referenceValues;
    private final PolicyStore policies;
    private final EventPublisher events;
    private final TransactionTemplate tx;
    private final Clock clock;
    private final Duration defaultValidity;

    AdminService(ReferenceValueStore referenceValues, PolicyStore policies, EventPublisher events,
                 TransactionTemplate tx, Clock clock, Duration defaultValidity) {
        this.referenceValues = referenceValues;
        this.policies = policies;
        this.events = events;
        this.tx = tx;
        this.clock = clock;
        this.defaultValidity = defaultValidity;
    }

    /**
     * Registers the reference value {@code name} from an RVPS message whose payload holds exactly that name.
     *
     * @param name      the reference value name (path)
     * @param body      the RVPS message
     * @param updatedBy the admin
     * @return the expiration given to the value
     * @throws BadRequestException when the message is invalid or its payload holds other names
     */
    public Instant putReferenceValue(String name, byte[] body, String updatedBy) {
        if (!ReferenceValueMessage.NAME.matcher(name).matches()) {
            throw new BadRequestException("reference value name must match " + ReferenceValueMessage.NAME);
        }
        Instant now = clock.instant();
        ReferenceValueMessage msg = ReferenceValueMessage.parse(body, now);
        if (msg.values().size() != 1 || !msg.values().containsKey(name)) {
            throw new BadRequestException("the payload must hold exactly the reference value named in the path, \""
                    + name + "\"");
        }
        JsonNode value = msg.values().get(name);
        Instant expiration = msg.expiration() != null ? msg.expiration() : now.plus(defaultValidity);
        tx.executeWithoutResult(s -> {
            String json = referenceValues.put(name, value, expiration, updatedBy);
            events.publish(new ReferenceValueUpdated(name, updatedBy,
                    "sha256:" + AttestationService.sha256Hex(json.getBytes(StandardCharsets.UTF_8))));
        });
        return expiration;
    }

    /**
     * Stores a CEL policy after compiling it.
     *
     * @param id        the policy id
     * @param body      the policy document
     * @param updatedBy the admin
     * @throws BadRequestException               for a bad id
     * @throws io.cocoplane.attestation.core.PolicyException when the document does not compile
     */
    public void putPolicy(String id, byte[] body, String updatedBy) {
        if (!io.cocoplane.attestation.core.AttestationRequest.POLICY_ID.matcher(id).matches()) {
            throw new BadRequestException("policy id must match " + io.cocoplane.attestation.core.AttestationRequest.POLICY_ID);
        }
        CelPolicy.parse(body);
        String text = new String(body, StandardCharsets.UTF_8);
        tx.executeWithoutResult(s -> {
            policies.put(id, text, updatedBy);
            events.publish(new PolicyUpdated(id, "attestation", updatedBy,
                    "sha256:" + AttestationService.sha256Hex(body)));
        });
    }

    /**
     * @param name a reference value name
     * @return {@code {"name","value","expiration","updatedBy"}} of the live value
     * @throws AdminService.NotFoundException when absent or expired
     */
    public Map<String, Object> referenceValue(String name) {
        return referenceValues.find(name)
                .map(s -> Map.<String, Object>of("name", s.name(), "value", s.value(),
                        "expiration", s.expiration().toString(), "updatedBy", s.updatedBy()))
                .orElseThrow(() -> new NotFoundException("no live reference value \"" + name + "\""));
    }

    /**
     * @param id a policy id
     * @return the stored document text
     * @throws AdminService.NotFoundException when absent
     */
    public String policy(String id) {
        return policies.document(id).orElseThrow(() -> new NotFoundException("no policy \"" + id + "\""));
    }

    /** A looked-up admin resource does not exist (404). */
    public static class NotFoundException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * @param message what is missing
         */
        public NotFoundException(String message) {
            super(message);
        }
    }
}
