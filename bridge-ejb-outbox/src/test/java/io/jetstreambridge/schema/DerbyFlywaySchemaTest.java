package io.jetstreambridge.schema;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The shipped Derby scripts with Flyway (flyway-database-derby), on an in-memory Derby database. */
class DerbyFlywaySchemaTest extends AbstractFlywaySchemaTest {

    DerbyFlywaySchemaTest() {
        super(ShippedScripts.Database.DERBY);
    }

    @Override
    EmptyDatabase createEmpty(String hint) {
        return EmptyDatabase.of(TestDatabase.derby(hint));
    }
}
