package io.jetstreambridge.core.outbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class DerbyOutboxStoreTest extends AbstractConditionalClaimOutboxStoreTest {

    DerbyOutboxStoreTest() {
        super(new HarnessBackend(TestDatabase.derby("outbox"), "derby"));
    }
}
