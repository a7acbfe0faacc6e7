package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class H2InboxSchemaTest extends AbstractInboxSchemaTest {

    H2InboxSchemaTest() {
        super("h2");
    }

    @Override
    EmptySchema openEmptySchema() {
        return of(TestDatabase.h2("schema"));
    }
}
