package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class DerbyInboxSchemaTest extends AbstractInboxSchemaTest {

    DerbyInboxSchemaTest() {
        super("derby");
    }

    @Override
    EmptySchema openEmptySchema() {
        return of(TestDatabase.derby("schema"));
    }
}
