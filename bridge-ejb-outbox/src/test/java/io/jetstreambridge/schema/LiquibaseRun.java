package io.jetstreambridge.schema;

import liquibase.Contexts;
import liquibase.LabelExpression;
import liquibase.Liquibase;
import liquibase.database.Database;
import liquibase.database.DatabaseFactory;
import liquibase.database.core.DerbyDatabase;
import liquibase.database.jvm.JdbcConnection;
import liquibase.resource.ClassLoaderResourceAccessor;
import liquibase.resource.CompositeResourceAccessor;
import liquibase.resource.DirectoryResourceAccessor;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.util.UUID;

/** Liquibase {@code update} of a changelog given as YAML text, its SQL files read from the class path. */
final class LiquibaseRun {

    private LiquibaseRun() {
    }

    @SuppressWarnings("deprecation") // Liquibase's CommandScope needs more set-up for the same one call
    static void update(EmptyDatabase target, String changelogYaml) throws Exception {
        Path directory = Files.createDirectories(Path.of("target", "liquibase", UUID.randomUUID().toString()));
        Files.writeString(directory.resolve("changelog.yaml"), changelogYaml);
        try (Connection connection = target.openConnection()) {
            Database database = DatabaseFactory.getInstance()
                    .findCorrectDatabaseImplementation(new JdbcConnection(connection));
            if (database instanceof DerbyDatabase derby) {
                // Liquibase shuts the whole embedded Derby engine down when it is done, under other tests' feet
                derby.setShutdownEmbeddedDerby(false);
            }
            try (CompositeResourceAccessor resources = new CompositeResourceAccessor(
                    new DirectoryResourceAccessor(directory),
                    new ClassLoaderResourceAccessor(LiquibaseRun.class.getClassLoader()))) {
                Liquibase liquibase = new Liquibase("changelog.yaml", resources, database);
                liquibase.update(new Contexts(), new LabelExpression());
            }
        }
    }
}
