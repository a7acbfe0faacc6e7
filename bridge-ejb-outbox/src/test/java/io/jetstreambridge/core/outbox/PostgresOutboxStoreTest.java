package io.jetstreambridge.core.outbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class PostgresOutboxStoreTest extends AbstractSkipLockedOutboxStoreTest {

    PostgresOutboxStoreTest() {
        super(new HarnessBackend(TestDatabase.postgres("outbox"), "postgresql"));
    }
}
