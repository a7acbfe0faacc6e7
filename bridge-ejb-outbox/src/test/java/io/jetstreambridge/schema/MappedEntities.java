package io.jetstreambridge.schema;

import io.jetstreambridge.core.outbox.OutboxEvent;
import io.jetstreambridge.core.inbox.InboxEvent;
import io.jetstreambridge.testing.jta.TestPersistenceUnit;
import jakarta.persistence.Entity;
import jakarta.persistence.EntityManagerFactory;
import org.eclipse.persistence.config.PersistenceUnitProperties;
import org.eclipse.persistence.descriptors.ClassDescriptor;
import org.eclipse.persistence.internal.helper.DatabaseField;
import org.eclipse.persistence.internal.helper.DatabaseTable;
import org.eclipse.persistence.jpa.JpaHelper;
import org.eclipse.persistence.jpa.PersistenceProvider;
import org.eclipse.persistence.mappings.DatabaseMapping;
import org.eclipse.persistence.mappings.foundation.AbstractDirectMapping;
import org.eclipse.persistence.tools.schemaframework.IndexDefinition;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;

/**
 * The tables the bridge's JPA entities map, as EclipseLink itself reads them: every {@code @Entity} class in the
 * bridge-cdi and bridge-ejb-outbox main artifacts is found by scanning them (so a new entity cannot be forgotten),
 * deployed in a RESOURCE_LOCAL unit on a real database (no DDL generation), and described from its
 * {@link ClassDescriptor}: table, columns with Java type, length, nullability and uniqueness, the id and whether
 * the database generates it, unique constraints and indexes.
 */
final class MappedEntities {

    /** One mapped column; {@code identity}: the database generates the value (GenerationType.IDENTITY). */
    record MappedColumn(String name, String attribute, Class<?> javaType, int length, boolean nullable, boolean id,
                        boolean identity, boolean unique) {
    }

    /** A named list of columns (lower case), for unique constraints and indexes. */
    record Key(String name, List<String> columns) {
    }

    /** One entity's table; columns keyed by lower-case name. */
    record MappedTable(String entity, String name, Map<String, MappedColumn> columns, List<Key> uniqueKeys,
                       List<Key> indexes) {

        List<String> idColumns() {
            return columns.values().stream().filter(MappedColumn::id).map(c -> lower(c.name())).toList();
        }
    }

    private static final String ENTITY_DESCRIPTOR = "L" + Entity.class.getName().replace('.', '/') + ";";

    private MappedEntities() {
    }

    /**
     * The {@code @Entity} classes of the two main artifacts, by name. Class files are searched for the annotation's
     * descriptor before any is loaded: loading them all would need the server APIs the artifacts leave provided.
     */
    static List<Class<?>> bridgeEntities() {
        TreeSet<String> names = new TreeSet<>();
        for (Class<?> anchor : List.of(InboxEvent.class, OutboxEvent.class)) {
            names.addAll(entityCandidates(anchor));
        }
        List<Class<?>> entities = new ArrayList<>();
        for (String name : names) {
            Class<?> type = load(name);
            if (type.isAnnotationPresent(Entity.class)) {
                entities.add(type);
            }
        }
        return entities;
    }

    /**
     * EclipseLink, RESOURCE_LOCAL, on {@code jdbcUrl}, with exactly {@code entities}; no DDL generation, no shared
     * cache. Deployed (logged in) before it is returned, so mapping errors surface here.
     */
    static EntityManagerFactory deploy(String unitName, List<Class<?>> entities, String jdbcUrl, String user,
                                       String password) {
        Properties properties = new Properties();
        properties.put(PersistenceUnitProperties.JDBC_URL, jdbcUrl);
        properties.put(PersistenceUnitProperties.JDBC_USER, user);
        properties.put(PersistenceUnitProperties.JDBC_PASSWORD, password);
        try {
            properties.put(PersistenceUnitProperties.JDBC_DRIVER, DriverManager.getDriver(jdbcUrl).getClass().getName());
        } catch (SQLException e) {
            throw new IllegalStateException("no JDBC driver for " + jdbcUrl, e);
        }
        properties.put(PersistenceUnitProperties.WEAVING, "false");
        properties.put(PersistenceUnitProperties.DDL_GENERATION, PersistenceUnitProperties.NONE);
        properties.put(PersistenceUnitProperties.CACHE_SHARED_DEFAULT, "false");
        properties.put(PersistenceUnitProperties.LOGGING_LEVEL, "WARNING");
        properties.put(PersistenceUnitProperties.SESSION_NAME, unitName);
        EntityManagerFactory factory = new PersistenceProvider().createContainerEntityManagerFactory(
                TestPersistenceUnit.resourceLocal(unitName, entities.stream().map(Class::getName).toList(),
                        properties, TestPersistenceUnit.emptyRootUrl("schema-unit-root"),
                        MappedEntities.class.getClassLoader()), Map.of());
        JpaHelper.getServerSession(factory);
        return factory;
    }

    /** The tables the deployed {@code factory}'s entities map, ordered by table name. */
    static List<MappedTable> tables(EntityManagerFactory factory) {
        List<MappedTable> tables = new ArrayList<>();
        for (ClassDescriptor descriptor : JpaHelper.getServerSession(factory).getDescriptors().values()) {
            tables.add(table(descriptor));
        }
        tables.sort(Comparator.comparing(MappedTable::name));
        return tables;
    }

    private static MappedTable table(ClassDescriptor descriptor) {
        String entity = descriptor.getJavaClass().getSimpleName();
        if (descriptor.getTables().size() != 1) {
            throw new IllegalStateException(entity + " maps " + descriptor.getTables() + ": teach "
                    + MappedEntities.class.getSimpleName() + " secondary tables before trusting the comparison");
        }
        DatabaseTable table = descriptor.getTables().get(0);
        List<String> ids = descriptor.getPrimaryKeyFields().stream().map(f -> lower(f.getName())).toList();
        boolean identity = descriptor.usesSequenceNumbers() && descriptor.getSequence() != null
                && descriptor.getSequence().shouldAcquireValueAfterInsert();
        String generated = identity ? lower(descriptor.getSequenceNumberField().getName()) : null;
        Map<String, MappedColumn> columns = new LinkedHashMap<>();
        List<Key> uniqueKeys = new ArrayList<>();
        for (DatabaseMapping mapping : descriptor.getMappings()) {
            if (!(mapping instanceof AbstractDirectMapping direct)) {
                throw new IllegalStateException(entity + "." + mapping.getAttributeName() + " is a "
                        + mapping.getClass().getSimpleName() + ": teach " + MappedEntities.class.getSimpleName()
                        + " what it maps to before trusting the comparison");
            }
            DatabaseField field = direct.getField();
            String key = lower(field.getName());
            boolean id = ids.contains(key);
            columns.put(key, new MappedColumn(field.getName(), mapping.getAttributeName(), attributeType(direct),
                    field.getLength(), !id && field.isNullable(), id, key.equals(generated), field.isUnique()));
            if (field.isUnique()) {
                uniqueKeys.add(new Key(field.getName(), List.of(key)));
            }
        }
        table.getUniqueConstraints().forEach((name, keys) -> keys.forEach(cols ->
                uniqueKeys.add(new Key(name, cols.stream().map(MappedEntities::lower).toList()))));
        List<Key> indexes = new ArrayList<>();
        for (IndexDefinition index : table.getIndexes()) {
            indexes.add(new Key(index.getName(), index.getFields().stream().map(MappedEntities::lower).toList()));
        }
        return new MappedTable(entity, table.getName(), columns, uniqueKeys, indexes);
    }

    private static Class<?> attributeType(AbstractDirectMapping mapping) {
        Class<?> type = mapping.getAttributeClassification();
        return type != null ? type : mapping.getAttributeAccessor().getAttributeClass();
    }

    /** Classes that name {@code @Entity}, in the jar or directory {@code anchor} was loaded from. */
    private static List<String> entityCandidates(Class<?> anchor) {
        Path location;
        try {
            location = Path.of(anchor.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("where " + anchor + " was loaded from", e);
        }
        try {
            if (Files.isDirectory(location)) {
                try (Stream<Path> files = Files.walk(location)) {
                    List<String> names = new ArrayList<>();
                    for (Path file : files.toList()) {
                        String path = location.relativize(file).toString();
                        if (isTopLevelClass(path) && namesEntity(Files.readAllBytes(file))) {
                            names.add(className(path));
                        }
                    }
                    return names;
                }
            }
            try (JarFile jar = new JarFile(location.toFile())) {
                List<String> names = new ArrayList<>();
                for (JarEntry entry : jar.stream().toList()) {
                    if (isTopLevelClass(entry.getName())) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            if (namesEntity(in.readAllBytes())) {
                                names.add(className(entry.getName()));
                            }
                        }
                    }
                }
                return names;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("could not list the classes in " + location, e);
        }
    }

    private static boolean namesEntity(byte[] classFile) {
        return new String(classFile, StandardCharsets.ISO_8859_1).contains(ENTITY_DESCRIPTOR);
    }

    private static boolean isTopLevelClass(String path) {
        return path.endsWith(".class") && !path.contains("$") && !path.endsWith("module-info.class")
                && !path.endsWith("package-info.class");
    }

    private static String className(String path) {
        return path.substring(0, path.length() - ".class".length()).replace('/', '.').replace('\\', '.');
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name, false, MappedEntities.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            throw new IllegalStateException("could not load " + name, e);
        }
    }

    static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
