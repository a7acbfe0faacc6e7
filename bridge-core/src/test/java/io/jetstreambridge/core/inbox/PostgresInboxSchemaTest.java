package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class PostgresInboxSchemaTest extends AbstractInboxSchemaTest {

    PostgresInboxSchemaTest() {
        super("postgresql");
    }

    @Override
    EmptySchema openEmptySchema() {
        return of(TestDatabase.postgres("schema"));
    }
}
