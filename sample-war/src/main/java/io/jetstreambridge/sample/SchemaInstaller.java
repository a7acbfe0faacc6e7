package io.jetstreambridge.sample;

import jakarta.annotation.Priority;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.interceptor.Interceptor;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.logging.Logger;
import javax.sql.DataSource;

/**
 * Applies the DDL at start-up, before the bridge starts (its observers run at the default priority, this one
 * first): the sample's own script, then the bridge's shipped scripts for the database found
 * ({@code db/jetstream-bridge/{derby,postgresql,...}/V1__jetstream_bridge_inbox.sql} from bridge-cdi and
 * {@code V2__jetstream_bridge_outbox.sql} and {@code V3__jetstream_bridge_outbox_indexes.sql} from bridge-ejb-outbox).
 * The scripts of a table that already exists are skipped, so restarts on a kept database are fine. Production applications run the same scripts with their migration tool
 * (the names are Flyway-compatible); the bridge itself never creates tables.
 */
@ApplicationScoped
public class SchemaInstaller {

    private static final Logger LOG = Logger.getLogger(SchemaInstaller.class.getName());

    /** table that the scripts create, then the scripts in order (with {db} for the database folder) */
    private static final String[][] SCRIPTS = {
        {"sample_orders", "db/sample/{db}/V100__sample.sql"},
        // the shipping application's table and orders' shipment column, apart so a database kept from before
        // shipping existed (.ci/sample.sh keeps its data) gets them too
        {"sample_shipments", "db/sample/{db}/V101__shipping.sql"},
        {"jetstream_bridge_inbox_events", "db/jetstream-bridge/{db}/V1__jetstream_bridge_inbox.sql"},
        {"jetstream_bridge_outbox_events", "db/jetstream-bridge/{db}/V2__jetstream_bridge_outbox.sql",
            "db/jetstream-bridge/{db}/V3__jetstream_bridge_outbox_indexes.sql"},
    };

    // a look-up of web.xml's resource reference, the data source persistence.xml names too: WildFly resolves a bare
    // @Resource(name = "jdbc/sample") on this bean to the server's default data source, not to the binding the
    // deployment gives the reference (jboss-web.xml)
    @Resource(lookup = "java:comp/env/jdbc/sample")
    DataSource dataSource;

    void install(@Observes @Priority(Interceptor.Priority.PLATFORM_BEFORE) @Initialized(ApplicationScoped.class)
                 Object ignored) {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            String db = databaseFolder(connection.getMetaData());
            for (String[] script : SCRIPTS) {
                if (tableExists(connection.getMetaData(), script[0])) {
                    continue;
                }
                for (int i = 1; i < script.length; i++) {
                    String path = script[i].replace("{db}", db);
                    List<String> statements = statements(read(path));
                    try (Statement statement = connection.createStatement()) {
                        for (String sql : statements) {
                            statement.execute(sql);
                        }
                    }
                    LOG.info(() -> "Applied " + path + " (" + statements.size() + " statements)");
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("cannot create the sample's tables: " + e.getMessage(), e);
        }
    }

    static String databaseFolder(DatabaseMetaData meta) throws SQLException {
        String product = meta.getDatabaseProductName().toLowerCase(Locale.ROOT);
        if (product.contains("derby")) {
            return "derby";
        }
        if (product.contains("postgres")) {
            return "postgresql";
        }
        if (product.contains("h2")) {
            return "h2";
        }
        if (product.contains("mysql") || product.contains("mariadb")) {
            return "mysql";
        }
        throw new IllegalStateException("no DDL scripts for database " + meta.getDatabaseProductName());
    }

    private static boolean tableExists(DatabaseMetaData meta, String table) throws SQLException {
        for (String name : new String[] {table, table.toUpperCase(Locale.ROOT)}) {
            try (ResultSet tables = meta.getTables(null, null, name, new String[] {"TABLE"})) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static String read(String path) throws IOException {
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        if (loader == null) {
            loader = SchemaInstaller.class.getClassLoader();
        }
        try (InputStream in = loader.getResourceAsStream(path)) {
            if (in == null) {
                throw new IOException("script " + path + " is not on the class path");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** Splits a script into statements: {@code --} comments dropped, statements ended by {@code ;}. */
    static List<String> statements(String script) {
        StringBuilder text = new StringBuilder();
        for (String line : script.split("\\R")) {
            int comment = line.indexOf("--");
            text.append(comment >= 0 ? line.substring(0, comment) : line).append('\n');
        }
        List<String> statements = new ArrayList<>();
        for (String sql : text.toString().split(";")) {
            if (!sql.isBlank()) {
                statements.add(sql.strip());
            }
        }
        return statements;
    }
}
