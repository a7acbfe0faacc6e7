package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The JTA harness proofs on PostgreSQL. */
class PostgresJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres("harness");
    }
}
