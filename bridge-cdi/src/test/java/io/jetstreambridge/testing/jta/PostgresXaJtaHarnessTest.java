package io.jetstreambridge.testing.jta;

/** The JTA harness proofs on PostgreSQL, its connections enlisted through the driver's XADataSource. */
class PostgresXaJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres("harness_xa").xa();
    }
}
