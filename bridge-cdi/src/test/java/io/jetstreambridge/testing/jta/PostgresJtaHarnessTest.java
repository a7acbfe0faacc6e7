package io.jetstreambridge.testing.jta;

/** The JTA harness proofs on PostgreSQL. */
class PostgresJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.postgres("harness");
    }
}
