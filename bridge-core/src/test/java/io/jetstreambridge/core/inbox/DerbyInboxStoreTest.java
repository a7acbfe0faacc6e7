package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class DerbyInboxStoreTest extends AbstractInboxStoreTest {

    DerbyInboxStoreTest() {
        super(TestDatabase.derby("inbox"), "derby");
    }
}
