package io.cocoplane.audit;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.cocoplane.contracts.Topics;
import io.cocoplane.eventing.CloudEventCodec;
import io.cocoplane.eventing.EventPublisher;
import io.cocoplane.eventing.EventSubscription;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * Wiring of the audit service: the subscription to every catalogue topic but its own (in batch mode: the new events of
 * one poll are appended as one tree update, in the inbox transaction), the log, the signing key, the checkpointer and
 * integrity check schedules, and the {@code auditIntegrity} health indicator.
 *
 * <p>{@code coco.audit.checkpoints} is not consumed: logging the log's own checkpoints would grow the tree with every
 * checkpoint and so force a new checkpoint every interval, forever; the checkpoints are in {@code audit.checkpoints}
 * and verifiable against the tree anyway.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
public class AuditConfiguration implements SchedulingConfigurer {

    /** Consumer group of the audit subscription. */
    public static final String GROUP = "audit";
    /** The topics the log records: every catalogue topic except {@link Topics#AUDIT_CHECKPOINTS}. */
    public static final List<String> TOPICS = Topics.ALL.stream().filter(t -> !Topics.AUDIT_CHECKPOINTS.equals(t))
            .toList();

    private static final Logger log = LoggerFactory.getLogger(AuditConfiguration.class);

    private final AuditProperties props;
    private final ObjectProvider<Checkpointer> checkpointer;
    private final ObjectProvider<IntegrityChecker> integrityChecker;
    private final ObjectProvider<ThreadPoolTaskScheduler> scheduler;

    AuditConfiguration(AuditProperties props, ObjectProvider<Checkpointer> checkpointer,
                       ObjectProvider<IntegrityChecker> integrityChecker,
                       ObjectProvider<ThreadPoolTaskScheduler> scheduler) {
        this.props = props;
        this.checkpointer = checkpointer;
        this.integrityChecker = integrityChecker;
        this.scheduler = scheduler;
    }

    @Bean
    JdbcTemplate auditJdbc(DataSource dataSource) {
        return new JdbcTemplate(dataSource);
    }

    @Bean
    TransactionTemplate auditTx(PlatformTransactionManager tm) {
        return new TransactionTemplate(tm);
    }

    @Bean
    IntegrityStatus integrityStatus(MeterRegistry meters) {
        return new IntegrityStatus(meters);
    }

    @Bean(name = "auditIntegrity")
    AuditIntegrityHealthIndicator auditIntegrityHealthIndicator(IntegrityStatus status) {
        return new AuditIntegrityHealthIndicator(status);
    }

    @Bean
    AuditLog auditLog(JdbcTemplate auditJdbc, IntegrityStatus status) {
        return new AuditLog(auditJdbc, new PostgresNodeStore(auditJdbc), status);
    }

    @Bean
    CanonicalEvent canonicalEvent(CloudEventCodec codec) {
        return new CanonicalEvent(codec, JsonMapper.builder().build());
    }

    @Bean
    LogSigningKey logSigningKey(JdbcTemplate auditJdbc) {
        LogSigningKey key = LogSigningKey.loadOrCreate(props.origin(), props.signingKeyFile(), auditJdbc);
        log.info("audit log origin {} verifier key {}", props.origin(), key.verifier().verifierKey());
        return key;
    }

    @Bean
    EventSubscription auditSubscription(AuditLog auditLog, CanonicalEvent canonical) {
        return EventSubscription.group(GROUP).batch(props.appendBatchSize())
                .onAllInBatches(TOPICS, events -> auditLog.appendAll(events.stream()
                        .map(e -> new AuditLog.Entry(e.id(), e.type().ceType(), e.source(), e.subject(), e.time(),
                                e.topic(), canonical.encode(e)))
                        .toList()))
                .build();
    }

    @Bean
    Checkpointer checkpointer(AuditLog auditLog, JdbcTemplate auditJdbc, TransactionTemplate auditTx,
                              EventPublisher events, LogSigningKey key, IntegrityStatus status) {
        return new Checkpointer(auditLog, auditJdbc, auditTx, events, key, status, props.origin());
    }

    @Bean
    IntegrityChecker integrityChecker(JdbcTemplate auditJdbc, PlatformTransactionManager tm, AuditLog auditLog,
                                      LogSigningKey key, IntegrityStatus status) {
        return new IntegrityChecker(auditJdbc, tm, auditLog, key, status, props.integrityBatchSize());
    }

    /** The startup integrity check: runs before the application reports itself ready. */
    @Bean
    ApplicationRunner startupIntegrityCheck(IntegrityChecker checker) {
        return args -> checker.check(Duration.ofMinutes(10));
    }

    /** Two threads, so a long integrity check never delays checkpoints. */
    @Bean
    ThreadPoolTaskScheduler auditScheduler() {
        ThreadPoolTaskScheduler s = new ThreadPoolTaskScheduler();
        s.setPoolSize(2);
        s.setThreadNamePrefix("audit-");
        return s;
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.setTaskScheduler(scheduler.getObject());
        Duration cpEvery = props.checkpointInterval();
        Duration icEvery = props.integrityInterval();
        registrar.addFixedDelayTask(() -> {
            try {
                checkpointer.getObject().checkpointOnce();
            } catch (RuntimeException e) {
                log.warn("checkpoint pass failed: {}", e.toString());
            }
        }, cpEvery);
        registrar.addFixedDelayTask(new FixedDelayTask(() -> {
            try {
                integrityChecker.getObject().check(Duration.ZERO);
            } catch (IntegrityCheckBusyException busy) {
                log.debug("scheduled integrity check skipped: one is running");
            } catch (RuntimeException e) {
                log.warn("scheduled integrity check failed to run: {}", e.toString());
            }
        }, icEvery, icEvery));
    }
}
