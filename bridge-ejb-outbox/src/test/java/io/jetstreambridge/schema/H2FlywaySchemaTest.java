package io.jetstreambridge.schema;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The shipped H2 scripts with Flyway, on an in-memory H2 database. */
class H2FlywaySchemaTest extends AbstractFlywaySchemaTest {

    H2FlywaySchemaTest() {
        super(ShippedScripts.Database.H2);
    }

    @Override
    EmptyDatabase createEmpty(String hint) {
        return EmptyDatabase.of(TestDatabase.h2(hint));
    }
}
