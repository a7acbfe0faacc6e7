package io.jetstreambridge.runtime.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class PostgresInboxStoreTest extends AbstractInboxStoreTest {

    PostgresInboxStoreTest() {
        super(TestDatabase.postgres("inbox"), "postgresql");
    }
}
