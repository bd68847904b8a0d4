package io.cocoplane.attestation;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.attestation.core.AdminTokenVerifier;
import io.cocoplane.attestation.core.EarSigningKey;
import io.cocoplane.attestation.core.EarTokenIssuer;
import io.cocoplane.attestation.core.EvidenceAppraiser;
import io.cocoplane.contracts.EventCatalog;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.eventing.EventSubscription;

/**
 * Wiring of the attestation service (the evidence verifiers are in {@link EvidenceVerifierConfiguration}): the
 * service clock, the persisted EAR signing key and its
 * readiness indicator {@code earSigningKey}, the admin token verifier (absent ⇒ admin API closed), the stores, the
 * built-in {@code default_cpu} policy, and the {@code coco.workload.events} subscription.
 */
@Configuration(proxyBeanMethods = false)
public class AttestationConfiguration {

    /** Consumer group of the workload subscription. */
    public static final String GROUP = "attestation";
    /** The built-in policy resource. */
    static final String DEFAULT_CPU_RESOURCE = "/policies/default_cpu.json";

    private static final Logger log = LoggerFactory.getLogger(AttestationConfiguration.class);

    @Bean
    Clock attestationClock() {
        return Clock.systemUTC();
    }

    @Bean
    JdbcTemplate attestationJdbc(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    TransactionTemplate attestationTx(PlatformTransactionManager tm) {
        return new TransactionTemplate(tm);
    }

    @Bean
    EarSigningKey earKey(AttestationProperties props, JdbcTemplate attestationJdbc) {
        EarSigningKey key;
        if (props.signingKeyFile() != null) {
            try {
                key = EarSigningKey.fromPem(Files.readString(props.signingKeyFile(), StandardCharsets.US_ASCII));
            } catch (IOException e) {
                throw new IllegalStateException("EAR signing key file " + props.signingKeyFile()
                        + " cannot be read: " + e, e);
            }
            log.info("EAR signing key from {}: kid {}", props.signingKeyFile(), key.kid());
        } else {
            List<String> rows = attestationJdbc.queryForList("SELECT private_key_pem FROM signing_key WHERE id = 1",
                    String.class);
            if (rows.isEmpty()) {
                int n = attestationJdbc.update("INSERT INTO signing_key (id, private_key_pem) VALUES (1, ?) "
                        + "ON CONFLICT DO NOTHING", EarSigningKey.generatePem());
                if (n == 1) {
                    log.info("generated the EAR signing key and stored it in the database");
                }
            }
            key = EarSigningKey.fromPem(attestationJdbc.queryForObject(
                    "SELECT private_key_pem FROM signing_key WHERE id = 1", String.class));
            log.info("EAR signing key from the database: kid {}", key.kid());
        }
        return key;
    }

    @Bean(name = "earSigningKey")
    EarSigningKeyHealthIndicator earSigningKeyHealthIndicator(EarSigningKey key) {
        return new EarSigningKeyHealthIndicator(key);
    }

    @Bean
    EarTokenIssuer earTokenIssuer(EarSigningKey key, AttestationProperties props, Clock clock) {
        String version = AttestationConfiguration.class.getPackage().getImplementationVersion();
        return new EarTokenIssuer(key, props.issuer(), props.tokenLifetime(),
                "cocoplane-attestation " + (version == null ? "dev" : version), clock);
    }

    @Bean
    AdminAccess adminAccess(AttestationProperties props, Clock clock) {
        AttestationProperties.Admin a = props.admin();
        String text = a.publicKey();
        if ((text == null || text.isBlank()) && a.publicKeyFile() != null) {
            try {
                text = Files.readString(a.publicKeyFile(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new IllegalStateException("admin public key file " + a.publicKeyFile() + " cannot be read", e);
            }
        }
        if (text == null || text.isBlank()) {
            log.warn("no admin public key configured (cocoplane.attestation.admin.public-key[-file]): the admin API "
                    + "answers 401 to every call");
            return new AdminAccess(null);
        }
        return new AdminAccess(new AdminTokenVerifier(AdminTokenVerifier.parsePublicKey(text), a.issuer(),
                a.audience(), clock));
    }

    @Bean
    ReferenceValueStore referenceValueStore(JdbcTemplate attestationJdbc, Clock clock) {
        return new ReferenceValueStore(attestationJdbc, clock);
    }

    @Bean
    PolicyStore policyStore(JdbcTemplate attestationJdbc, Clock clock) {
        PolicyStore store = new PolicyStore(attestationJdbc, clock);
        try (InputStream in = AttestationConfiguration.class.getResourceAsStream(DEFAULT_CPU_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + DEFAULT_CPU_RESOURCE);
            }
            store.installIfAbsent(PolicyStore.DEFAULT_CPU, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + DEFAULT_CPU_RESOURCE, e);
        }
        return store;
    }

    @Bean
    WorkloadBindings workloadBindings(JdbcTemplate attestationJdbc, Clock clock) {
        return new WorkloadBindings(attestationJdbc, clock);
    }

    @Bean
    AttestationService attestationService(EvidenceAppraiser appraiser, PolicyStore policies,
                                          ReferenceValueStore referenceValues, WorkloadBindings workloads,
                                          EarTokenIssuer issuer, EventPublisher events, JdbcTemplate attestationJdbc,
                                          TransactionTemplate attestationTx, Clock clock) {
        return new AttestationService(appraiser, policies, referenceValues, workloads, issuer, events,
                attestationJdbc, attestationTx, clock);
    }

    @Bean
    AdminService adminService(ReferenceValueStore referenceValues, PolicyStore policies, EventPublisher events,
                              TransactionTemplate attestationTx, Clock clock, AttestationProperties props) {
        return new AdminService(referenceValues, policies, events, attestationTx, clock,
                props.referenceValueValidity());
    }

    @Bean
    EventSubscription workloadEvents(WorkloadBindings bindings) {
        return EventSubscription.group(GROUP)
                .on(EventCatalog.WORKLOAD_SCHEDULED, e -> bindings.scheduled(e.data()))
                .on(EventCatalog.WORKLOAD_STATE_CHANGED, e -> bindings.stateChanged(e.data()))
                .build();
    }

    /** Logs the readiness-relevant facts once the application is up. */
    @Bean
    ApplicationRunner attestationStartupLog(EarSigningKey key, AttestationProperties props) {
        return args -> log.info("attestation service ready: EAR kid {}, token lifetime {}, sample TEE {}, development "
                        + "mode {}", key.kid(), props.tokenLifetime(),
                props.sampleTee().enabled() ? "ENABLED (development)" : "disabled",
                props.development() ? "ON" : "off");
    }
}
