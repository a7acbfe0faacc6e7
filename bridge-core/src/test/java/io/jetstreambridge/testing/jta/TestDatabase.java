package io.jetstreambridge.testing.jta;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalConnectionFactoryConfigurationSupplier;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import io.agroal.narayana.NarayanaTransactionIntegration;

import javax.sql.DataSource;
import javax.sql.XADataSource;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;

/**
 * A real database for one test class (or one test), isolated from every other run: PostgreSQL gets a schema of its
 * own in the shared database, H2 and Derby an in-memory database of their own. {@link #close()} drops it.
 *
 * <p>What it gives:
 * <ul>
 *   <li>{@link #jdbcUrl()}, {@link #user()}, {@link #password()} and {@link #openConnection()}: plain JDBC,
 *       auto-commit, never enlisted in a JTA transaction — what a test uses to check what other connections see;</li>
 *   <li>{@link #jtaDataSource()}: a pooled (Agroal) DataSource whose connections enlist in the calling thread's
 *       Narayana transaction, like a server's {@code <datasource jta="true">}; by default it drives the database's local
 *       transaction (one-phase, the resource joins as a last resource), after {@link #xa()} it uses the driver's
 *       {@link XADataSource} instead;</li>
 *   <li>{@link #xaDataSource()}: the driver's own XADataSource, unpooled;</li>
 *   <li>{@link #runScript(String)} / {@link #runScriptResource(String)}: DDL scripts, statements separated by
 *       {@code ;} (see {@link SqlScript}), and {@link #truncateAllTables()} to clean up between tests.</li>
 * </ul>
 *
 * <p>PostgreSQL: database {@code test} on {@code 127.0.0.1:5432}, user {@code postgres} (trust auth) unless the system
 * properties {@code jsb.test.postgres.host}, {@code .port}, {@code .database}, {@code .user} and {@code .password} say
 * otherwise. Each instance creates the schema {@code jsbt_<epoch seconds>_<random>[_<hint>]} and selects it with
 * {@code currentSchema} in the URL, so unqualified names resolve there; schemas of this form older than six hours are
 * dropped as leftovers of killed runs. PostgreSQL's default {@code max_prepared_transactions = 0} forbids
 * {@code PREPARE TRANSACTION}: with {@link #xa()}, a transaction with a second resource would fail to prepare (one
 * resource commits in one phase and works).
 *
 * <p>H2: {@code jdbc:h2:mem:...;DB_CLOSE_DELAY=-1;MODE=LEGACY} ({@code MODE=LEGACY} keeps {@code IDENTITY()}, which
 * EclipseLink's H2 platform calls to read generated identity values). Derby: {@code jdbc:derby:memory:...}, schema
 * {@code APP}; its {@code derby.log} goes to {@code target/derby.log}.
 *
 * <p>Thread-safe.
 */
public abstract class TestDatabase implements AutoCloseable {

    /** The database products. */
    public enum Kind {
        POSTGRESQL, H2, DERBY
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Duration STALE = Duration.ofHours(6);

    private final String name;
    private boolean xa;
    private AgroalDataSource jtaDataSource;
    private boolean closed;

    TestDatabase(String name) {
        this.name = name;
    }

    /** A fresh schema in the local PostgreSQL's database {@code test}. */
    public static TestDatabase postgres() {
        return postgres(null);
    }

    /** A fresh schema in the local PostgreSQL's database {@code test}, its name ending with {@code hint}. */
    public static TestDatabase postgres(String hint) {
        return new PostgresDatabase(uniqueName("jsbt_" + System.currentTimeMillis() / 1000, hint), true);
    }

    /**
     * A fresh schema in the local PostgreSQL's database {@code test}, reached through {@code port} on 127.0.0.1
     * instead of PostgreSQL's own (a proxy a test can cut, to make the database unreachable).
     */
    public static TestDatabase postgresThrough(int port, String hint) {
        return new PostgresDatabase(uniqueName("jsbt_" + System.currentTimeMillis() / 1000, hint), true,
                "127.0.0.1", String.valueOf(port));
    }

    /**
     * A fresh schema in the database {@code postgres} of a cluster of its own ({@link PrivatePostgres}), for work
     * whose PostgreSQL CPU must be told apart from other tests' (the fault suite's scaling run).
     */
    public static TestDatabase postgresIn(PrivatePostgres server, String hint) {
        return new PostgresDatabase(uniqueName("jsbt_" + System.currentTimeMillis() / 1000, hint), true,
                "127.0.0.1", String.valueOf(server.port()), "postgres", "postgres", "");
    }

    /**
     * An existing schema of the local PostgreSQL (host, port and database from the same system properties), for a
     * second JVM working on the schema another one created: it is neither created nor dropped here.
     */
    public static TestDatabase existingPostgresSchema(String schema) {
        return new PostgresDatabase(schema, false);
    }

    /** A fresh in-memory H2 database. */
    public static TestDatabase h2() {
        return h2(null);
    }

    /** A fresh in-memory H2 database, its name ending with {@code hint}. */
    public static TestDatabase h2(String hint) {
        return new H2Database(uniqueName("jsbt", hint));
    }

    /** A fresh in-memory Derby database. */
    public static TestDatabase derby() {
        return derby(null);
    }

    /** A fresh in-memory Derby database, its name ending with {@code hint}. */
    public static TestDatabase derby(String hint) {
        return new DerbyDatabase(uniqueName("jsbt", hint));
    }

    /** A fresh database of the given kind. */
    public static TestDatabase of(Kind kind) {
        return switch (kind) {
            case POSTGRESQL -> postgres();
            case H2 -> h2();
            case DERBY -> derby();
        };
    }

    static String uniqueName(String prefix, String hint) {
        String random = Long.toString(RANDOM.nextLong() & Long.MAX_VALUE, 36);
        String name = prefix + "_" + random;
        if (hint != null && !hint.isBlank()) {
            name += "_" + hint.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "_");
        }
        return name.length() > 60 ? name.substring(0, 60) : name;
    }

    /**
     * Of the names {@code query} lists, all of the form {@code jsbt_<epoch seconds>_…}, drops with
     * {@code dropStatement} those older than six hours: leftovers of killed runs.
     */
    static void dropStale(Connection connection, String query, UnaryOperator<String> dropStatement)
            throws SQLException {
        long cutoff = System.currentTimeMillis() / 1000 - STALE.toSeconds();
        List<String> stale = new ArrayList<>();
        try (Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery(query)) {
            while (rows.next()) {
                String name = rows.getString(1);
                long created = Long.parseLong(name.split("_")[1]);
                if (created < cutoff) {
                    stale.add(name);
                }
            }
        }
        for (String name : stale) {
            try (Statement statement = connection.createStatement()) {
                statement.execute(dropStatement.apply(name));
            } catch (SQLException ignored) {
                // another run is dropping it too
            }
        }
    }

    /** Which database product this is. */
    public abstract Kind kind();

    /** The JDBC URL that reaches this database (and, for PostgreSQL, selects its schema). */
    public abstract String jdbcUrl();

    /** The user for {@link #jdbcUrl()}. */
    public abstract String user();

    /** The password for {@link #jdbcUrl()} (empty when none is needed). */
    public abstract String password();

    /** The schema that holds this database's tables (PostgreSQL: the unique one; H2: PUBLIC; Derby: APP). */
    public abstract String schema();

    /** The driver's {@link XADataSource}, configured for this database; not pooled, not enlisted by itself. */
    public abstract XADataSource xaDataSource();

    /** A unique name for this database (the PostgreSQL schema, the H2/Derby database name). */
    public String name() {
        return name;
    }

    /**
     * Makes {@link #jtaDataSource()} use the driver's XADataSource (two-phase capable enlistment) instead of the local
     * transaction of plain connections. Call before the first {@link #jtaDataSource()}.
     */
    public synchronized TestDatabase xa() {
        if (jtaDataSource != null) {
            throw new IllegalStateException("the JTA DataSource of " + this + " is already built");
        }
        xa = true;
        return this;
    }

    /** Whether {@link #jtaDataSource()} enlists XA resources (see {@link #xa()}). */
    public synchronized boolean isXa() {
        return xa;
    }

    /** A new plain connection: auto-commit, never part of a JTA transaction. The caller closes it. */
    public Connection openConnection() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), user(), password());
    }

    /**
     * The pooled DataSource whose connections join the calling thread's JTA (Narayana) transaction, built on first
     * use and closed by {@link #close()}. Outside a transaction its connections are plain auto-commit ones.
     */
    public synchronized DataSource jtaDataSource() {
        ensureOpen();
        if (jtaDataSource == null) {
            jtaDataSource = buildJtaDataSource();
        }
        return jtaDataSource;
    }

    private AgroalDataSource buildJtaDataSource() {
        NarayanaTransactionIntegration integration = new NarayanaTransactionIntegration(
                Narayana.transactionManager(), Narayana.transactionSynchronizationRegistry());
        AgroalDataSourceConfigurationSupplier configuration = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .initialSize(0)
                        .minSize(0)
                        .maxSize(20)
                        .acquisitionTimeout(Duration.ofSeconds(10))
                        .transactionIntegration(integration)
                        // as a server's data source does: a connection that died with its database (a restart)
                        // is dropped from the pool instead of being handed out again
                        .exceptionSorter(exceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(jdbcUrl()).principal(new NamePrincipal(user()));
                            if (!password().isEmpty()) {
                                factory.credential(new SimplePassword(password()));
                            }
                            if (xa) {
                                configureXa(factory.connectionProviderClass(xaDataSource().getClass()));
                            }
                            return factory;
                        }));
        try {
            return AgroalDataSource.from(configuration);
        } catch (SQLException e) {
            throw new IllegalStateException("could not build the JTA DataSource of " + this, e);
        }
    }

    /** Tells which SQL errors mean the connection is dead; none by default. */
    AgroalConnectionPoolConfiguration.ExceptionSorter exceptionSorter() {
        return AgroalConnectionPoolConfiguration.ExceptionSorter.emptyExceptionSorter();
    }

    /** Extra XA-only settings for Agroal, which sets the URL, user and password itself. */
    void configureXa(AgroalConnectionFactoryConfigurationSupplier factory) {
    }

    /** Runs the statements of an SQL script, separated by {@code ;}, each in auto-commit. */
    public void runScript(String script) {
        List<String> statements = SqlScript.split(script);
        try (Connection connection = openConnection(); Statement statement = connection.createStatement()) {
            for (String sql : statements) {
                try {
                    statement.execute(sql);
                } catch (SQLException e) {
                    throw new IllegalStateException("SQL script failed on " + this + " at: " + sql, e);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not connect to " + this, e);
        }
    }

    /** Runs an SQL script read from the class path (see {@link #runScript(String)}). */
    public void runScriptResource(String resource) {
        runScript(SqlScript.readResource(resource));
    }

    /** Runs one statement with positional parameters over a plain connection; returns the update count. */
    public int execute(String sql, Object... parameters) {
        try (Connection connection = openConnection();
             PreparedStatement statement = prepare(connection, sql, parameters)) {
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + this, e);
        }
    }

    /** The number in the first column of the first row of a query over a plain connection. */
    public long queryForLong(String sql, Object... parameters) {
        try (Connection connection = openConnection();
             PreparedStatement statement = prepare(connection, sql, parameters);
             ResultSet rows = statement.executeQuery()) {
            if (!rows.next()) {
                throw new IllegalStateException("'" + sql + "' returned no row on " + this);
            }
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException("'" + sql + "' failed on " + this, e);
        }
    }

    /** How many rows {@code table} holds, as a plain connection sees it (committed rows only). */
    public long countRows(String table) {
        return queryForLong("select count(*) from " + table);
    }

    /** The tables of this database's schema, in the case the database stores them. */
    public List<String> tableNames() {
        try (Connection connection = openConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = metaData.getTables(null, schema(), "%", new String[] {"TABLE"})) {
                while (rows.next()) {
                    tables.add(rows.getString("TABLE_NAME"));
                }
            }
            return tables;
        } catch (SQLException e) {
            throw new IllegalStateException("could not list the tables of " + this, e);
        }
    }

    /** Deletes every row of every table of the schema (and restarts identities where the database can). */
    public void truncateAllTables() {
        List<String> tables = tableNames();
        if (tables.isEmpty()) {
            return;
        }
        try (Connection connection = openConnection(); Statement statement = connection.createStatement()) {
            truncate(statement, tables);
        } catch (SQLException e) {
            throw new IllegalStateException("could not empty the tables of " + this, e);
        }
    }

    abstract void truncate(Statement statement, List<String> tables) throws SQLException;

    static String quote(String identifier) {
        return '"' + identifier.replace("\"", "\"\"") + '"';
    }

    private static PreparedStatement prepare(Connection connection, String sql, Object... parameters)
            throws SQLException {
        PreparedStatement statement = connection.prepareStatement(sql);
        for (int i = 0; i < parameters.length; i++) {
            statement.setObject(i + 1, parameters[i]);
        }
        return statement;
    }

    synchronized void ensureOpen() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    /** Closes the JTA DataSource's pool, then drops the schema or database. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            if (jtaDataSource != null) {
                jtaDataSource.close();
            }
        } finally {
            drop();
        }
    }

    abstract void drop();

    @Override
    public String toString() {
        return kind() + " " + jdbcUrl();
    }

    // ---------------------------------------------------------------------------------------------- PostgreSQL

    private static final class PostgresDatabase extends TestDatabase {

        private final String baseUrl;
        private final String user;
        private final String password;
        private final boolean owned;

        PostgresDatabase(String schema, boolean owned) {
            this(schema, owned, System.getProperty("jsb.test.postgres.host", "127.0.0.1"),
                    System.getProperty("jsb.test.postgres.port", "5432"));
        }

        PostgresDatabase(String schema, boolean owned, String host, String port) {
            this(schema, owned, host, port, System.getProperty("jsb.test.postgres.database", "test"),
                    System.getProperty("jsb.test.postgres.user", "postgres"),
                    System.getProperty("jsb.test.postgres.password", ""));
        }

        PostgresDatabase(String schema, boolean owned, String host, String port, String database, String user,
                         String password) {
            super(schema);
            this.baseUrl = "jdbc:postgresql://" + host + ":" + port + "/" + database;
            this.user = user;
            this.password = password;
            this.owned = owned;
            if (!owned) {
                return;
            }
            try (Connection connection = DriverManager.getConnection(baseUrl, user, password);
                 Statement statement = connection.createStatement()) {
                dropStale(connection, "select nspname from pg_namespace where nspname ~ '^jsbt_[0-9]+_'",
                        stale -> "drop schema if exists " + quote(stale) + " cascade");
                statement.execute("create schema " + quote(schema));
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the schema " + schema + " at " + baseUrl
                        + " as " + user + " (is PostgreSQL running?)", e);
            }
        }

        @Override
        public Kind kind() {
            return Kind.POSTGRESQL;
        }

        @Override
        public String jdbcUrl() {
            return baseUrl + "?currentSchema=" + name();
        }

        @Override
        public String user() {
            return user;
        }

        @Override
        public String password() {
            return password;
        }

        @Override
        public String schema() {
            return name();
        }

        @Override
        public XADataSource xaDataSource() {
            org.postgresql.xa.PGXADataSource dataSource = new org.postgresql.xa.PGXADataSource();
            dataSource.setUrl(jdbcUrl());
            dataSource.setUser(user);
            dataSource.setPassword(password);
            return dataSource;
        }

        @Override
        void truncate(Statement statement, List<String> tables) throws SQLException {
            StringBuilder sql = new StringBuilder("truncate table ");
            for (int i = 0; i < tables.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append(quote(name())).append('.').append(quote(tables.get(i)));
            }
            statement.execute(sql.append(" restart identity cascade").toString());
        }

        @Override
        AgroalConnectionPoolConfiguration.ExceptionSorter exceptionSorter() {
            return new PostgreSQLExceptionSorter();
        }

        @Override
        void drop() {
            if (!owned) {
                return;
            }
            try (Connection connection = DriverManager.getConnection(baseUrl, user, password);
                 Statement statement = connection.createStatement()) {
                statement.execute("drop schema if exists " + quote(name()) + " cascade");
            } catch (SQLException e) {
                throw new IllegalStateException("could not drop the schema " + name(), e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- H2

    private static final class H2Database extends TestDatabase {

        H2Database(String name) {
            super(name);
        }

        @Override
        public Kind kind() {
            return Kind.H2;
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:h2:mem:" + name() + ";DB_CLOSE_DELAY=-1;MODE=LEGACY";
        }

        @Override
        public String user() {
            return "sa";
        }

        @Override
        public String password() {
            return "";
        }

        @Override
        public String schema() {
            return "PUBLIC";
        }

        @Override
        public XADataSource xaDataSource() {
            org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
            dataSource.setURL(jdbcUrl());
            dataSource.setUser(user());
            dataSource.setPassword(password());
            return dataSource;
        }

        @Override
        void truncate(Statement statement, List<String> tables) throws SQLException {
            statement.execute("set referential_integrity false");
            try {
                for (String table : tables) {
                    statement.execute("truncate table " + quote(table) + " restart identity");
                }
            } finally {
                statement.execute("set referential_integrity true");
            }
        }

        @Override
        void drop() {
            try (Connection connection = openConnection(); Statement statement = connection.createStatement()) {
                statement.execute("shutdown");
            } catch (SQLException e) {
                throw new IllegalStateException("could not shut down " + this, e);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- Derby

    private static final class DerbyDatabase extends TestDatabase {

        DerbyDatabase(String name) {
            super(name);
            if (System.getProperty("derby.stream.error.file") == null) {
                System.setProperty("derby.stream.error.file",
                        java.nio.file.Path.of("target", "derby.log").toAbsolutePath().toString());
            }
            try {
                DriverManager.getConnection("jdbc:derby:memory:" + name + ";create=true").close();
            } catch (SQLException e) {
                throw new IllegalStateException("could not create the Derby database " + name, e);
            }
        }

        @Override
        public Kind kind() {
            return Kind.DERBY;
        }

        @Override
        public String jdbcUrl() {
            return "jdbc:derby:memory:" + name();
        }

        @Override
        public String user() {
            return "APP";
        }

        @Override
        public String password() {
            return "";
        }

        @Override
        public String schema() {
            return "APP";
        }

        @Override
        public XADataSource xaDataSource() {
            org.apache.derby.jdbc.EmbeddedXADataSource dataSource = new org.apache.derby.jdbc.EmbeddedXADataSource();
            dataSource.setDatabaseName("memory:" + name());
            dataSource.setUser(user());
            return dataSource;
        }

        @Override
        void configureXa(AgroalConnectionFactoryConfigurationSupplier factory) {
            factory.xaProperty("databaseName", "memory:" + name());
        }

        @Override
        void truncate(Statement statement, List<String> tables) throws SQLException {
            // Derby cannot truncate a table that a foreign key references: delete, children first, by retrying
            List<String> remaining = new ArrayList<>(tables);
            SQLException last = null;
            for (int pass = 0; pass <= tables.size() && !remaining.isEmpty(); pass++) {
                List<String> failed = new ArrayList<>();
                for (String table : remaining) {
                    try {
                        statement.execute("delete from " + quote(schema()) + "." + quote(table));
                    } catch (SQLException e) {
                        failed.add(table);
                        last = e;
                    }
                }
                remaining = failed;
            }
            if (!remaining.isEmpty()) {
                throw last;
            }
        }

        @Override
        void drop() {
            try {
                DriverManager.getConnection("jdbc:derby:memory:" + name() + ";drop=true").close();
            } catch (SQLException e) {
                if (!"08006".equals(e.getSQLState())) { // Derby reports a successful drop as this exception
                    throw new IllegalStateException("could not drop the Derby database " + name(), e);
                }
            }
        }
    }
}
