/** JdbcTemplate repositories over the {@code keybroker} schema (migrations in {@code db/migration}). */
package io.cocoplane.keybroker.persistence;
