package io.jetstreambridge.core.outbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class H2OutboxStoreTest extends AbstractConditionalClaimOutboxStoreTest {

    H2OutboxStoreTest() {
        super(new HarnessBackend(TestDatabase.h2("outbox"), "h2"));
    }
}
