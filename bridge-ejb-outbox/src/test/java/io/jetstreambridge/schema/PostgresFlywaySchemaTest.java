package io.jetstreambridge.schema;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The shipped PostgreSQL scripts with Flyway, on a schema of its own on the local PostgreSQL. */
class PostgresFlywaySchemaTest extends AbstractFlywaySchemaTest {

    PostgresFlywaySchemaTest() {
        super(ShippedScripts.Database.POSTGRESQL);
    }

    @Override
    EmptyDatabase createEmpty(String hint) {
        return EmptyDatabase.of(TestDatabase.postgres(hint));
    }
}
