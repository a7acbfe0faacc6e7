package io.jetstreambridge.core.inbox;

import jakarta.persistence.Column;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a shipped DDL script must agree with: the table an entity maps, read from its jakarta.persistence
 * annotations ({@link #mapped}), the table a database holds, read over JDBC {@link DatabaseMetaData}
 * ({@link #read}), and the list of what differs between the two ({@link #differences}).
 *
 * <p>Names are compared without regard to case (H2 and Derby store unquoted names in upper case). Column types are
 * compared in spirit, since every vendor names them its own way: a {@code String} is a VARCHAR of the
 * {@code @Column} length, an {@code int} an INTEGER (or wider), a {@code long} a BIGINT, a {@code LocalDateTime} a
 * TIMESTAMP without time zone that keeps at least microseconds (on MySQL and MariaDB a DATETIME: their TIMESTAMP
 * shifts values by the session time zone and ends in 2038).
 */
final class SchemaConformance {

    private SchemaConformance() {
    }

    /** One column as the entity maps it. */
    record MappedColumn(String name, String field, Class<?> javaType, boolean id, boolean nullable, int length) {
    }

    /** The table an entity maps; columns keyed by lower-case name, in field order. */
    record MappedTable(String entity, String name, Map<String, MappedColumn> columns) {

        MappedColumn column(String name) {
            MappedColumn column = columns.get(name.toLowerCase(Locale.ROOT));
            if (column == null) {
                throw new IllegalArgumentException(entity + " maps no column " + name);
            }
            return column;
        }
    }

    /** One column as the database describes it. */
    record DatabaseColumn(String name, int jdbcType, String typeName, int size, int decimalDigits, boolean nullable) {

        String describe() {
            return typeName + "(" + size + (decimalDigits > 0 ? "," + decimalDigits : "") + ") "
                    + (nullable ? "NULL" : "NOT NULL") + " [java.sql.Types " + jdbcType + "]";
        }
    }

    /** One index, its columns in key order (lower case). */
    record DatabaseIndex(String name, boolean unique, List<String> columns) {
    }

    /** A table as the database holds it; columns and primary key keyed by lower-case name. */
    record DatabaseTable(String name, Map<String, DatabaseColumn> columns, Set<String> primaryKey,
                         List<DatabaseIndex> indexes) {
    }

    private static final Set<Class<? extends Annotation>> UNDERSTOOD = Set.of(Id.class, Column.class);

    /**
     * The table {@code entity} maps: {@code @Table(name)} (or the class name), and for each persistent field
     * ({@code @Column} name or the field name) its Java type, {@code @Id}, {@code @Column(nullable)} (an id is never
     * null) and {@code @Column(length)}. Any other mapping annotation fails: this reader would have to learn it
     * before it could say what the script should hold.
     */
    static MappedTable mapped(Class<?> entity) {
        Table table = entity.getAnnotation(Table.class);
        String tableName = table != null && !table.name().isEmpty() ? table.name() : entity.getSimpleName();
        Map<String, MappedColumn> columns = new LinkedHashMap<>();
        for (Class<?> type = entity; type != null && type != Object.class; type = type.getSuperclass()) {
            for (Field field : type.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers())
                        || field.isAnnotationPresent(Transient.class) || field.isSynthetic()) {
                    continue;
                }
                for (Annotation annotation : field.getAnnotations()) {
                    String pkg = annotation.annotationType().getPackageName();
                    if (pkg.equals("jakarta.persistence") && !UNDERSTOOD.contains(annotation.annotationType())) {
                        throw new IllegalStateException(entity.getSimpleName() + "." + field.getName() + " has "
                                + annotation + ", which " + SchemaConformance.class.getSimpleName()
                                + " does not read yet: teach it before trusting the schema comparison");
                    }
                }
                Column column = field.getAnnotation(Column.class);
                boolean id = field.isAnnotationPresent(Id.class);
                String name = column != null && !column.name().isEmpty() ? column.name() : field.getName();
                boolean nullable = !id && (column == null || column.nullable());
                int length = column != null ? column.length() : 255;
                MappedColumn mapped = new MappedColumn(name, field.getName(), field.getType(), id, nullable, length);
                if (columns.put(name.toLowerCase(Locale.ROOT), mapped) != null) {
                    throw new IllegalStateException(entity.getSimpleName() + " maps the column " + name + " twice");
                }
            }
        }
        return new MappedTable(entity.getSimpleName(), tableName, columns);
    }

    /** The tables of one schema (names as stored), through {@code DatabaseMetaData.getTables}. */
    static List<String> tables(Connection connection, String catalog, String schema) throws SQLException {
        List<String> tables = new ArrayList<>();
        try (ResultSet rows = connection.getMetaData().getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                if (inScope(rows, catalog, schema)) {
                    tables.add(rows.getString("TABLE_NAME"));
                }
            }
        }
        return tables;
    }

    /**
     * Reads {@code table} (any case) from the given catalog and schema ({@code null} where the driver uses none);
     * fails when the schema holds no such table.
     */
    static DatabaseTable read(Connection connection, String catalog, String schema, String table)
            throws SQLException {
        String stored = tables(connection, catalog, schema).stream().filter(t -> t.equalsIgnoreCase(table))
                .findFirst().orElseThrow(() -> new AssertionError("no table " + table + " in catalog " + catalog
                        + ", schema " + schema));
        DatabaseMetaData metaData = connection.getMetaData();
        Map<String, DatabaseColumn> columns = new LinkedHashMap<>();
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
                columns.put(name.toLowerCase(Locale.ROOT), new DatabaseColumn(name, rows.getInt("DATA_TYPE"),
                        rows.getString("TYPE_NAME"), rows.getInt("COLUMN_SIZE"), rows.getInt("DECIMAL_DIGITS"),
                        nullable == DatabaseMetaData.columnNullable));
            }
        }
        TreeMap<Short, String> keyColumns = new TreeMap<>();
        try (ResultSet rows = metaData.getPrimaryKeys(catalog, schema, stored)) {
            while (rows.next()) {
                keyColumns.put(rows.getShort("KEY_SEQ"), rows.getString("COLUMN_NAME").toLowerCase(Locale.ROOT));
            }
        }
        Set<String> primaryKey = new LinkedHashSet<>(keyColumns.values());
        Map<String, TreeMap<Short, String>> indexColumns = new LinkedHashMap<>();
        Map<String, Boolean> indexUnique = new LinkedHashMap<>();
        try (ResultSet rows = metaData.getIndexInfo(catalog, schema, stored, false, false)) {
            while (rows.next()) {
                String index = rows.getString("INDEX_NAME");
                String column = rows.getString("COLUMN_NAME");
                if (index == null || column == null) {
                    continue; // table statistics
                }
                indexColumns.computeIfAbsent(index, i -> new TreeMap<>())
                        .put(rows.getShort("ORDINAL_POSITION"), column.toLowerCase(Locale.ROOT));
                indexUnique.put(index, !rows.getBoolean("NON_UNIQUE"));
            }
        }
        List<DatabaseIndex> indexes = new ArrayList<>();
        indexColumns.forEach((index, cols) ->
                indexes.add(new DatabaseIndex(index, indexUnique.get(index), List.copyOf(cols.values()))));
        return new DatabaseTable(stored, columns, primaryKey, indexes);
    }

    private static boolean inScope(ResultSet row, String catalog, String schema) throws SQLException {
        return (catalog == null || catalog.equalsIgnoreCase(row.getString("TABLE_CAT")))
                && (schema == null || schema.equalsIgnoreCase(row.getString("TABLE_SCHEM")));
    }

    /** Columns the entity maps that the table lacks, and columns of the table that the entity does not map. */
    static List<String> columnNameDifferences(MappedTable mapped, DatabaseTable actual) {
        List<String> differences = new ArrayList<>();
        mapped.columns().forEach((key, column) -> {
            if (!actual.columns().containsKey(key)) {
                differences.add("column " + column.name() + " (" + mapped.entity() + "." + column.field()
                        + ") is missing from the table");
            }
        });
        actual.columns().forEach((key, column) -> {
            if (!mapped.columns().containsKey(key)) {
                differences.add("column " + column.name() + " " + column.describe() + " is in the table but "
                        + mapped.entity() + " maps no such column");
            }
        });
        return differences;
    }

    /** Columns whose NULL / NOT NULL differs from the entity's {@code @Column(nullable)} (an id is NOT NULL). */
    static List<String> nullabilityDifferences(MappedTable mapped, DatabaseTable actual) {
        List<String> differences = new ArrayList<>();
        mapped.columns().forEach((key, column) -> {
            DatabaseColumn db = actual.columns().get(key);
            if (db != null && db.nullable() != column.nullable()) {
                differences.add("column " + column.name() + " is " + (db.nullable() ? "NULL" : "NOT NULL")
                        + " in the table but " + (column.nullable() ? "nullable" : "not nullable") + " in "
                        + mapped.entity() + "." + column.field()
                        + (column.id() ? " (@Id)" : " (@Column(nullable = " + column.nullable() + "))"));
            }
        });
        return differences;
    }

    /** The primary key's columns against the entity's {@code @Id} columns. */
    static List<String> primaryKeyDifferences(MappedTable mapped, DatabaseTable actual) {
        Set<String> expected = new LinkedHashSet<>();
        mapped.columns().forEach((key, column) -> {
            if (column.id()) {
                expected.add(key);
            }
        });
        if (expected.equals(actual.primaryKey())) {
            return List.of();
        }
        return List.of("the primary key is " + (actual.primaryKey().isEmpty() ? "missing" : actual.primaryKey())
                + " but " + mapped.entity() + "'s @Id maps " + expected);
    }

    /**
     * Column types the entity's Java types cannot live in. {@code mysqlFamily}: the script is the MySQL/MariaDB one,
     * whose timestamp type must be DATETIME.
     */
    static List<String> typeDifferences(MappedTable mapped, DatabaseTable actual, boolean mysqlFamily) {
        List<String> differences = new ArrayList<>();
        mapped.columns().forEach((key, column) -> {
            DatabaseColumn db = actual.columns().get(key);
            if (db == null) {
                return;
            }
            String problem = typeProblem(column, db, mysqlFamily);
            if (problem != null) {
                differences.add("column " + column.name() + " is " + db.describe() + " in the table, but "
                        + mapped.entity() + "." + column.field() + " is " + column.javaType().getSimpleName()
                        + (column.javaType() == String.class ? " of length " + column.length() : "") + ": "
                        + problem);
            }
        });
        return differences;
    }

    private static String typeProblem(MappedColumn column, DatabaseColumn db, boolean mysqlFamily) {
        Class<?> type = column.javaType();
        String typeName = db.typeName() == null ? "" : db.typeName().toUpperCase(Locale.ROOT);
        if (type == String.class) {
            if (db.jdbcType() != Types.VARCHAR && db.jdbcType() != Types.NVARCHAR) {
                return "expected a VARCHAR";
            }
            return db.size() == column.length() ? null
                    : "expected VARCHAR(" + column.length() + ") as @Column(length) says";
        }
        if (type == long.class || type == Long.class) {
            return db.jdbcType() == Types.BIGINT || wideNumeric(db, 19) ? null : "expected a BIGINT";
        }
        if (type == int.class || type == Integer.class) {
            return db.jdbcType() == Types.INTEGER || db.jdbcType() == Types.BIGINT || wideNumeric(db, 10) ? null
                    : "expected an INTEGER (or BIGINT)";
        }
        if (type == LocalDateTime.class) {
            if (db.jdbcType() != Types.TIMESTAMP || typeName.contains("ZONE") || typeName.contains("TZ")) {
                return "expected a TIMESTAMP without time zone (the entity stores UTC wall-clock time)";
            }
            if (mysqlFamily && !typeName.equals("DATETIME")) {
                return "expected DATETIME(6): MySQL's TIMESTAMP converts by the session time zone and ends in 2038";
            }
            int fractionalDigits = fractionalDigits(db);
            return fractionalDigits >= 6 ? null
                    : "expected at least microsecond precision (" + fractionalDigits + " fractional digits)";
        }
        return "no type rule for " + type.getName() + ": teach " + SchemaConformance.class.getSimpleName();
    }

    /**
     * A timestamp column's fractional second digits: DECIMAL_DIGITS, or, where a driver leaves that 0 (MariaDB's
     * for DATETIME(6)), what COLUMN_SIZE says: the length of {@code yyyy-mm-dd hh:mm:ss[.f...]}, 19 without fraction.
     */
    private static int fractionalDigits(DatabaseColumn db) {
        return Math.max(db.decimalDigits(), db.size() > 20 ? db.size() - 20 : 0);
    }

    private static boolean wideNumeric(DatabaseColumn db, int precision) {
        return (db.jdbcType() == Types.NUMERIC || db.jdbcType() == Types.DECIMAL) && db.decimalDigits() == 0
                && db.size() >= precision;
    }

    /** One failure message: what was compared and every difference, one a line. */
    static String report(String what, List<String> differences) {
        return what + " differs:\n  - " + String.join("\n  - ", differences);
    }
}
