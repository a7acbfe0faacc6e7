package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The JTA harness proofs on PostgreSQL, its connections enlisted through the driver's XADataSource. */
class PostgresXaJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres("harness_xa").xa();
    }
}
