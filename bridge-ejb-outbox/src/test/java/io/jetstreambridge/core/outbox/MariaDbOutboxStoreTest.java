package io.jetstreambridge.core.outbox;

/** The MySQL script and dialect on MariaDB, through EclipseLink with RESOURCE_LOCAL transactions. */
class MariaDbOutboxStoreTest extends AbstractSkipLockedOutboxStoreTest {

    MariaDbOutboxStoreTest() {
        super(new MariaDbBackend());
    }
}
