package io.jetstreambridge.core.outbox;

import io.jetstreambridge.config.OutboxSettings;

import jakarta.persistence.EntityManager;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outbox indexes only some settings read, shipped as optional scripts beside the versioned ones (docs/schema.md):
 * which of them the configuration needs and the table lacks. Found by their leading columns, whatever their name, from
 * the JDBC metadata: one look-up at start-up.
 */
public enum OptionalIndexes {

    /** The claim's look-up of an older unfinished row of the same resource ({@code outbox.ordering=resource}). */
    RESOURCE("jetstream_bridge_outbox_resource_index.sql", "outbox.ordering=resource",
            List.of("resource_type", "resource_id")),

    /** The retention clean-up of kept sent rows, and the backlog among them ({@code outbox.sent-rows=keep}). */
    RETENTION("jetstream_bridge_outbox_retention_index.sql", "outbox.sent-rows=keep", List.of("status", "sent_at"));

    private final String script;
    private final String setting;
    private final List<String> leadingColumns;

    OptionalIndexes(String script, String setting, List<String> leadingColumns) {
        this.script = script;
        this.setting = setting;
        this.leadingColumns = leadingColumns;
    }

    /** The script that creates it, in {@code db/jetstream-bridge-optional/<database>/}. */
    public String script() {
        return script;
    }

    /** The setting that reads it. */
    public String setting() {
        return setting;
    }

    /** The indexes {@code settings} read. */
    public static List<OptionalIndexes> neededBy(OutboxSettings settings) {
        List<OptionalIndexes> needed = new ArrayList<>();
        if (settings.perResourceOrdering()) {
            needed.add(RESOURCE);
        }
        if (settings.sentRows() == OutboxSettings.SentRows.KEEP) {
            needed.add(RETENTION);
        }
        return needed;
    }

    /** Of {@code needed}, those the outbox table behind {@code connection} has no index for. */
    public static List<OptionalIndexes> missing(Connection connection, List<OptionalIndexes> needed)
            throws SQLException {
        if (needed.isEmpty()) {
            return List.of();
        }
        List<List<String>> indexes = indexColumns(connection);
        return needed.stream().filter(index -> indexes.stream().noneMatch(columns -> columns.size()
                >= index.leadingColumns.size() && columns.subList(0, index.leadingColumns.size())
                .equals(index.leadingColumns))).toList();
    }

    /**
     * Of {@code needed}, those the outbox table has no index for, read on the connection of the transaction
     * {@code em} works in (EclipseLink and Hibernate alike, {@link TransactionConnection}).
     *
     * @throws IllegalStateException when the provider lends no connection, or the metadata cannot be read
     */
    public static List<OptionalIndexes> missing(EntityManager em, List<OptionalIndexes> needed) {
        try {
            return TransactionConnection.apply(em, connection -> missing(connection, needed))
                    .orElseThrow(() -> new IllegalStateException("the JPA provider lends no JDBC connection"));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The columns of each index on the outbox table, in order, lower case. */
    private static List<List<String>> indexColumns(Connection connection) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        Map<String, TreeMap<Short, String>> columns = new LinkedHashMap<>();
        // the catalogue keeps the name as the database folded it: lower case (PostgreSQL, MySQL) or upper (H2, Derby)
        for (String table : List.of(OutboxEvent.TABLE, OutboxEvent.TABLE.toUpperCase(Locale.ROOT))) {
            try (ResultSet rows = metaData.getIndexInfo(connection.getCatalog(), connection.getSchema(), table, false,
                    true)) {
                while (rows.next()) {
                    String index = rows.getString("INDEX_NAME");
                    String column = rows.getString("COLUMN_NAME");
                    if (index != null && column != null) {
                        columns.computeIfAbsent(rows.getString("TABLE_SCHEM") + "." + index, i -> new TreeMap<>())
                                .put(rows.getShort("ORDINAL_POSITION"), column.toLowerCase(Locale.ROOT));
                    }
                }
            }
        }
        return columns.values().stream().map(c -> List.copyOf(c.values())).toList();
    }
}
