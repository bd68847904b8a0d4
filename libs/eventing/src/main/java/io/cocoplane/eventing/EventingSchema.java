package io.cocoplane.eventing;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates and migrates the eventing tables ({@code eventing_outbox}, {@code eventing_inbox}) in the service's own
 * schema with Flyway, from {@code classpath:db/eventing}, recording them in a history table of their own
 * ({@code eventing_schema_history}) so that the service's migrations and these never share a version sequence.
 */
public final class EventingSchema {

    private static final Logger log = LoggerFactory.getLogger(EventingSchema.class);

    private final String schema;

    /**
     * Migrates now.
     *
     * @param dataSource the service's data source
     * @param schema     the service's schema, or null for the connection's {@code currentSchema}
     * @throws org.flywaydb.core.api.FlywayException when the migration fails
     */
    public EventingSchema(DataSource dataSource, String schema) {
        this.schema = schema;
        var cfg = Flyway.configure(EventingSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/eventing")
                .table("eventing_schema_history")
                .baselineOnMigrate(true)
                .baselineVersion("0");
        if (schema != null && !schema.isBlank()) {
            cfg.schemas(schema).defaultSchema(schema).createSchemas(true);
        }
        MigrateResult r = cfg.load().migrate();
        log.info("eventing tables ready in schema {} ({} migrations applied)", r.schemaName, r.migrationsExecuted);
    }

    /** @return the schema the tables live in, or null for the connection's default */
    public String schema() {
        return schema;
    }
}
