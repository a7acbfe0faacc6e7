package io.jetstreambridge.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.jetstreambridge.schema.MappedEntities.lower;

/**
 * The tables of one schema as the database describes them over JDBC {@link DatabaseMetaData}: columns (type,
 * size, fractional digits, nullability, identity, default), primary key and indexes. Names are kept lower case:
 * H2 and Derby store unquoted names in upper case.
 */
record DatabaseSchema(Map<String, Table> tables) {

    record Column(String name, int jdbcType, String typeName, long size, int decimalDigits, boolean nullable,
                  boolean autoIncrement, String defaultValue) {

        String describe() {
            return typeName + "(" + size + (decimalDigits > 0 ? "," + decimalDigits : "") + ") "
                    + (nullable ? "NULL" : "NOT NULL") + (defaultValue == null ? "" : " DEFAULT " + defaultValue)
                    + " [java.sql.Types " + jdbcType + "]";
        }
    }

    record Index(String name, boolean unique, List<String> columns) {
    }

    record Table(String name, Map<String, Column> columns, List<String> primaryKey, List<Index> indexes) {

        /**
         * This table without the names a database makes up itself (of unnamed key indexes, of an identity's
         * sequence in the column default), for comparing two creations of the same table.
         */
        Table shape() {
            Map<String, Column> cols = new LinkedHashMap<>();
            columns.forEach((key, c) -> cols.put(key, c.autoIncrement() ? new Column(c.name(), c.jdbcType(),
                    c.typeName(), c.size(), c.decimalDigits(), c.nullable(), true, null) : c));
            List<Index> unnamed = indexes.stream().map(i -> new Index("", i.unique(), i.columns()))
                    .sorted(Comparator.comparing(Index::toString)).toList();
            return new Table(name, cols, primaryKey, unnamed);
        }
    }

    /** Every table of {@code catalog} / {@code schema} (either null where the driver has none). */
    static DatabaseSchema read(Connection connection, String catalog, String schema) throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        List<String> names = new ArrayList<>();
        try (ResultSet rows = metaData.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                if (inScope(rows, catalog, schema)) {
                    names.add(rows.getString("TABLE_NAME"));
                }
            }
        }
        Map<String, Table> tables = new TreeMap<>();
        for (String name : names) {
            tables.put(lower(name), table(metaData, catalog, schema, name));
        }
        return new DatabaseSchema(tables);
    }

    private static Table table(DatabaseMetaData metaData, String catalog, String schema, String stored)
            throws SQLException {
        Map<String, Column> columns = new LinkedHashMap<>();
        try (ResultSet rows = metaData.getColumns(catalog, schema, stored, "%")) {
            while (rows.next()) {
                if (!stored.equals(rows.getString("TABLE_NAME")) || !inScope(rows, catalog, schema)) {
                    continue; // names are LIKE patterns: '_' matches any character
                }
                String name = rows.getString("COLUMN_NAME");
                int nullable = rows.getInt("NULLABLE");
                if (nullable == DatabaseMetaData.columnNullableUnknown) {
                    throw new AssertionError("the driver cannot say whether " + stored + "." + name
                            + " is nullable");
                }
                columns.put(lower(name), new Column(name, rows.getInt("DATA_TYPE"), rows.getString("TYPE_NAME"),
                        rows.getLong("COLUMN_SIZE"), rows.getInt("DECIMAL_DIGITS"),
                        nullable == DatabaseMetaData.columnNullable,
                        "YES".equalsIgnoreCase(rows.getString("IS_AUTOINCREMENT")), rows.getString("COLUMN_DEF")));
            }
        }
        TreeMap<Short, String> key = new TreeMap<>();
        try (ResultSet rows = metaData.getPrimaryKeys(catalog, schema, stored)) {
            while (rows.next()) {
                key.put(rows.getShort("KEY_SEQ"), lower(rows.getString("COLUMN_NAME")));
            }
        }
        Map<String, TreeMap<Short, String>> indexColumns = new LinkedHashMap<>();
        Map<String, Boolean> unique = new LinkedHashMap<>();
        try (ResultSet rows = metaData.getIndexInfo(catalog, schema, stored, false, false)) {
            while (rows.next()) {
                String index = rows.getString("INDEX_NAME");
                String column = rows.getString("COLUMN_NAME");
                if (index != null && column != null) {
                    indexColumns.computeIfAbsent(lower(index), i -> new TreeMap<>())
                            .put(rows.getShort("ORDINAL_POSITION"), lower(column));
                    unique.put(lower(index), !rows.getBoolean("NON_UNIQUE"));
                }
            }
        }
        List<Index> indexes = new ArrayList<>();
        indexColumns.forEach((name, cols) -> indexes.add(new Index(name, unique.get(name),
                List.copyOf(cols.values()))));
        return new Table(lower(stored), columns, List.copyOf(key.values()), indexes);
    }

    private static boolean inScope(ResultSet row, String catalog, String schema) throws SQLException {
        return (catalog == null || catalog.equalsIgnoreCase(row.getString("TABLE_CAT")))
                && (schema == null || schema.equalsIgnoreCase(row.getString("TABLE_SCHEM")));
    }
}
