package io.jetstreambridge.core.inbox;

import io.jetstreambridge.testing.jta.TestDatabase;

class H2InboxStoreTest extends AbstractInboxStoreTest {

    H2InboxStoreTest() {
        super(TestDatabase.h2("inbox"), "h2");
    }
}
