package io.jetstreambridge.outbox;

import jakarta.persistence.Column;
import jakarta.persistence.GeneratedValue;
import jakarta.persistence.Id;
import jakarta.persistence.Index;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;
import jakarta.persistence.UniqueConstraint;

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
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The table an entity maps, read from its jakarta.persistence annotations, against the table a database holds, read
 * over JDBC metadata: what differs, one line per difference. Names compare without case (H2 and Derby keep unquoted
 * names in upper case); types compare in spirit, since every vendor names them its own way.
 */
final class EntitySchema {

    /** Strings longer than this are large text (TEXT, LONGTEXT, CLOB), not a VARCHAR of the given length. */
    static final int LARGE_TEXT = 65_535;

    private static final Set<Class<? extends Annotation>> UNDERSTOOD = Set.of(Id.class, Column.class,
            GeneratedValue.class);

    private EntitySchema() {
    }

    record MappedColumn(String name, String field, Class<?> type, boolean id, boolean generated, boolean nullable,
                        int length) {
    }

    /** Columns keyed by lower-case name; indexes and unique keys as lower-case column lists. */
    record Mapped(String entity, String table, Map<String, MappedColumn> columns,
                  Map<String, List<String>> indexes, List<List<String>> uniqueKeys) {
    }

    record DatabaseColumn(String name, int jdbcType, String typeName, long size, boolean nullable,
                          boolean autoIncrement) {
    }

    record DatabaseIndex(String name, boolean unique, List<String> columns) {
    }

    record DatabaseTable(Map<String, DatabaseColumn> columns, List<String> primaryKey, List<DatabaseIndex> indexes) {
    }

    /** Reads the entity's mapping; fails on a mapping annotation it does not understand. */
    static Mapped mapped(Class<?> entity) {
        Table table = entity.getAnnotation(Table.class);
        Map<String, MappedColumn> columns = new LinkedHashMap<>();
        for (Field field : entity.getDeclaredFields()) {
            if (Modifier.isStatic(field.getModifiers()) || Modifier.isTransient(field.getModifiers())
                    || field.isAnnotationPresent(Transient.class) || field.isSynthetic()) {
                continue;
            }
            for (Annotation annotation : field.getAnnotations()) {
                if (annotation.annotationType().getPackageName().equals("jakarta.persistence")
                        && !UNDERSTOOD.contains(annotation.annotationType())) {
                    throw new IllegalStateException(field + " has " + annotation + ": teach "
                            + EntitySchema.class.getSimpleName() + " what it means before trusting the comparison");
                }
            }
            Column column = field.getAnnotation(Column.class);
            boolean id = field.isAnnotationPresent(Id.class);
            String name = column != null && !column.name().isEmpty() ? column.name() : field.getName();
            columns.put(lower(name), new MappedColumn(name, field.getName(), field.getType(), id,
                    field.isAnnotationPresent(GeneratedValue.class), !id && (column == null || column.nullable()),
                    column != null ? column.length() : 255));
        }
        Map<String, List<String>> indexes = new LinkedHashMap<>();
        for (Index index : table.indexes()) {
            indexes.put(lower(index.name()), Arrays.stream(index.columnList().split(",")).map(String::trim)
                    .map(EntitySchema::lower).toList());
        }
        List<List<String>> uniqueKeys = new ArrayList<>();
        for (UniqueConstraint unique : table.uniqueConstraints()) {
            uniqueKeys.add(Arrays.stream(unique.columnNames()).map(EntitySchema::lower).toList());
        }
        return new Mapped(entity.getSimpleName(), table.name(), columns, indexes, uniqueKeys);
    }

    /** Reads a table (any case) of a catalog and schema ({@code null} where the driver has none). */
    static DatabaseTable read(Connection connection, String catalog, String schema, String table)
            throws SQLException {
        DatabaseMetaData metaData = connection.getMetaData();
        String stored = null;
        try (ResultSet rows = metaData.getTables(catalog, schema, "%", new String[] {"TABLE"})) {
            while (rows.next()) {
                if (rows.getString("TABLE_NAME").equalsIgnoreCase(table)) {
                    stored = rows.getString("TABLE_NAME");
                }
            }
        }
        if (stored == null) {
            throw new AssertionError("no table " + table + " in catalog " + catalog + ", schema " + schema);
        }
        Map<String, DatabaseColumn> columns = new LinkedHashMap<>();
        try (ResultSet rows = metaData.getColumns(catalog, schema, stored, "%")) {
            while (rows.next()) {
                if (!stored.equals(rows.getString("TABLE_NAME"))) {
                    continue; // '_' in a name pattern matches any character
                }
                String name = rows.getString("COLUMN_NAME");
                columns.put(lower(name), new DatabaseColumn(name, rows.getInt("DATA_TYPE"),
                        rows.getString("TYPE_NAME"), rows.getLong("COLUMN_SIZE"),
                        rows.getInt("NULLABLE") == DatabaseMetaData.columnNullable,
                        "YES".equalsIgnoreCase(rows.getString("IS_AUTOINCREMENT"))));
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
        List<DatabaseIndex> indexes = new ArrayList<>();
        indexColumns.forEach((name, cols) -> indexes.add(new DatabaseIndex(name, unique.get(name),
                List.copyOf(cols.values()))));
        return new DatabaseTable(columns, List.copyOf(key.values()), indexes);
    }

    /** Everything in which the table differs from the mapping. */
    static List<String> differences(Mapped mapped, DatabaseTable actual) {
        List<String> differences = new ArrayList<>();
        mapped.columns().forEach((key, column) -> {
            DatabaseColumn db = actual.columns().get(key);
            if (db == null) {
                differences.add("column " + column.name() + " (" + column.field() + ") is missing");
                return;
            }
            if (db.nullable() != column.nullable()) {
                differences.add("column " + column.name() + " is " + (db.nullable() ? "NULL" : "NOT NULL")
                        + " but the entity says nullable = " + column.nullable());
            }
            if (column.generated() && !db.autoIncrement()) {
                differences.add("column " + column.name() + " is not an identity column");
            }
            String type = typeProblem(column, db);
            if (type != null) {
                differences.add("column " + column.name() + " is " + db.typeName() + "(" + db.size()
                        + ") [java.sql.Types " + db.jdbcType() + "]: " + type);
            }
        });
        actual.columns().forEach((key, column) -> {
            if (!mapped.columns().containsKey(key)) {
                differences.add("column " + column.name() + " is in the table but not mapped");
            }
        });
        List<String> idColumns = mapped.columns().values().stream().filter(MappedColumn::id)
                .map(c -> lower(c.name())).toList();
        if (!idColumns.equals(actual.primaryKey())) {
            differences.add("primary key " + actual.primaryKey() + " but @Id maps " + idColumns);
        }
        mapped.indexes().forEach((name, columns) -> {
            if (actual.indexes().stream().noneMatch(i -> i.name().equals(name) && i.columns().equals(columns))) {
                differences.add("no index " + name + " on " + columns + "; the table has " + actual.indexes());
            }
        });
        for (List<String> columns : mapped.uniqueKeys()) {
            if (actual.indexes().stream().noneMatch(i -> i.unique() && i.columns().equals(columns))) {
                differences.add("no unique key on " + columns + "; the table has " + actual.indexes());
            }
        }
        return differences;
    }

    private static String typeProblem(MappedColumn column, DatabaseColumn db) {
        Class<?> type = column.type();
        if (type == String.class && column.length() > LARGE_TEXT) {
            boolean large = db.jdbcType() == Types.CLOB || db.jdbcType() == Types.LONGVARCHAR
                    || db.jdbcType() == Types.NCLOB || db.jdbcType() == Types.LONGNVARCHAR
                    || (db.jdbcType() == Types.VARCHAR && db.size() >= Integer.MAX_VALUE);
            return large ? null : "expected large text (TEXT, LONGTEXT, CLOB)";
        }
        if (type == String.class) {
            return (db.jdbcType() == Types.VARCHAR || db.jdbcType() == Types.NVARCHAR)
                    && db.size() == column.length() ? null : "expected VARCHAR(" + column.length() + ")";
        }
        if (type == Long.class || type == long.class) {
            return db.jdbcType() == Types.BIGINT ? null : "expected BIGINT";
        }
        if (type == Integer.class || type == int.class) {
            return db.jdbcType() == Types.INTEGER ? null : "expected INTEGER";
        }
        if (type == LocalDateTime.class) {
            String name = db.typeName().toUpperCase(Locale.ROOT);
            return db.jdbcType() == Types.TIMESTAMP && !name.contains("ZONE") && !name.contains("TZ") ? null
                    : "expected a TIMESTAMP without time zone (UTC wall-clock time)";
        }
        return "no type rule for " + type.getName();
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
