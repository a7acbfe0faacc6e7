package io.jetstreambridge.core.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * What differs between the databases the outbox runs on, as data (after gruelbox's {@code Dialect}): each constant
 * overrides only the SQL its database needs. The store builds one claim query and lets the dialect finish it.
 *
 * <ul>
 *   <li>{@link #POSTGRESQL} and {@link #MYSQL} (MySQL 8, MariaDB 10.6+) claim with
 *       {@code SELECT ... FOR UPDATE SKIP LOCKED}, so concurrent relays pass each other's rows by; MySQL pages with
 *       {@code LIMIT}, and updates the selected ids in a second statement (it cannot update with a {@code LIMIT}
 *       subquery on the same table).</li>
 *   <li>{@link #H2} and {@link #DERBY} cannot skip locked rows: they read candidate ids without a lock and lease
 *       each with a conditional update; rows whose update count is 1 are the claimer's.</li>
 * </ul>
 */
public enum OutboxDialect {

    POSTGRESQL(ClaimMode.SKIP_LOCKED, "postgresql", "postgres") {
        /** One statement over two arrays: PostgreSQL runs each statement of a JDBC batch on its own. */
        @Override
        void markSent(Connection connection, List<OutboxStore.Sent> sent, Timestamp sentAt) throws SQLException {
            Long[] ids = new Long[sent.size()];
            Long[] sequences = new Long[sent.size()];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = sent.get(i).id();
                sequences[i] = sent.get(i).streamSequence();
            }
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + OutboxEvent.TABLE + " o SET "
                    + MARK_SENT_COLUMNS + ", stream_seq = v.seq FROM unnest(?::bigint[], ?::bigint[]) AS v(id, seq) "
                    + "WHERE o.id = v.id")) {
                update.setTimestamp(1, sentAt);
                update.setArray(2, connection.createArrayOf("bigint", ids));
                update.setArray(3, connection.createArrayOf("bigint", sequences));
                update.executeUpdate();
            }
        }

        /** One statement over an array: PostgreSQL runs each statement of a JDBC batch on its own. */
        @Override
        void deleteSent(Connection connection, List<OutboxStore.Sent> sent) throws SQLException {
            Long[] ids = sent.stream().map(OutboxStore.Sent::id).toArray(Long[]::new);
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + OutboxEvent.TABLE
                    + " WHERE id = ANY(?)")) {
                delete.setArray(1, connection.createArrayOf("bigint", ids));
                delete.executeUpdate();
            }
        }
    },

    MYSQL(ClaimMode.SKIP_LOCKED, "mysql", "mariadb") {
        @Override
        String paged(String orderedSelect, int limit) {
            return orderedSelect + " LIMIT " + limit;
        }
    },

    H2(ClaimMode.CONDITIONAL_UPDATE, "h2"),

    DERBY(ClaimMode.CONDITIONAL_UPDATE, "derby");

    private static final String MARK_SENT_COLUMNS = "status = '" + OutboxEvent.SENT + "', sent_at = ?, "
            + "claimed_by = NULL, claimed_until = NULL";

    private final ClaimMode claimMode;
    private final List<String> names;

    OutboxDialect(ClaimMode claimMode, String... names) {
        this.claimMode = claimMode;
        this.names = List.of(names);
    }

    /**
     * The dialect of a configured name: {@code postgresql} (or {@code postgres}), {@code mysql}, {@code mariadb},
     * {@code h2}, {@code derby}; case does not matter.
     *
     * @throws IllegalArgumentException for any other name, listing the known ones
     */
    public static OutboxDialect named(String name) {
        String wanted = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        return Arrays.stream(values()).filter(d -> d.names.contains(wanted)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown outbox dialect '" + name + "'; known: "
                        + Arrays.stream(values()).flatMap(d -> d.names.stream()).collect(Collectors.joining(", "))));
    }

    /**
     * The dialect of a JDBC {@code DatabaseMetaData.getDatabaseProductName()}: {@code PostgreSQL}, {@code MySQL},
     * {@code MariaDB}, {@code H2}, {@code Apache Derby}.
     *
     * @throws IllegalArgumentException for any other product (name the dialect explicitly, if it speaks one)
     */
    public static OutboxDialect forProductName(String productName) {
        String product = productName == null ? "" : productName.toLowerCase(Locale.ROOT);
        if (product.contains("postgresql")) {
            return POSTGRESQL;
        }
        if (product.contains("mysql") || product.contains("mariadb")) {
            return MYSQL;
        }
        if (product.equals("h2")) {
            return H2;
        }
        if (product.contains("derby")) {
            return DERBY;
        }
        throw new IllegalArgumentException("no outbox dialect for the database product '" + productName
                + "'; supported: PostgreSQL, MySQL, MariaDB, H2, Apache Derby");
    }

    /** The dialect of the database behind {@code connection}, from its metadata; the connection stays open. */
    public static OutboxDialect detect(Connection connection) throws SQLException {
        return forProductName(connection.getMetaData().getDatabaseProductName());
    }

    /** How candidates become claimed rows. */
    ClaimMode claimMode() {
        return claimMode;
    }

    /** {@code orderedSelect} limited to its first {@code limit} rows (standard {@code FETCH FIRST} by default). */
    String paged(String orderedSelect, int limit) {
        return orderedSelect + " FETCH FIRST " + limit + " ROWS ONLY";
    }

    /**
     * Marks rows sent (JetStream acked them) and ends their leases, on the transaction's own connection: one JDBC
     * batch of single-row updates (one round trip) by default.
     */
    void markSent(Connection connection, List<OutboxStore.Sent> sent, Timestamp sentAt) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE " + OutboxEvent.TABLE + " SET "
                + MARK_SENT_COLUMNS + ", stream_seq = ? WHERE id = ?")) {
            for (OutboxStore.Sent row : sent) {
                update.setTimestamp(1, sentAt);
                update.setLong(2, row.streamSequence());
                update.setLong(3, row.id());
                update.addBatch();
            }
            update.executeBatch();
        }
    }

    /**
     * Deletes rows JetStream acknowledged ({@code outbox.sent-rows=delete}), on the transaction's own connection: one
     * JDBC batch of single-row deletes (one round trip) by default.
     */
    void deleteSent(Connection connection, List<OutboxStore.Sent> sent) throws SQLException {
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + OutboxEvent.TABLE
                + " WHERE id = ?")) {
            for (OutboxStore.Sent row : sent) {
                delete.setLong(1, row.id());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /** The candidate query of a claim: paged, and locked where the database can skip locked rows. */
    String claimQuery(String orderedSelect, int limit) {
        return paged(orderedSelect, limit) + claimMode.lockClause();
    }
}
