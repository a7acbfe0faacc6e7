package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class PostgresInboxStoreTest extends AbstractInboxStoreTest {

    PostgresInboxStoreTest() {
        super(TestDatabase.postgres("inbox"), "postgresql");
    }
}
