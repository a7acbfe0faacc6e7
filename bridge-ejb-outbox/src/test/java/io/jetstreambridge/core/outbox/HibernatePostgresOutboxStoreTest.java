package io.jetstreambridge.core.outbox;

import io.jetstreambridge.schema.ShippedScripts;
import io.jetstreambridge.testing.jta.TestDatabase;

/** The store's whole contract with Hibernate 6.6 as the provider (WildFly's), on PostgreSQL. */
class HibernatePostgresOutboxStoreTest extends AbstractSkipLockedOutboxStoreTest {

    HibernatePostgresOutboxStoreTest() {
        super(new HibernateBackend(TestDatabase.postgres("outbox-hibernate"),
                ShippedScripts.Database.POSTGRESQL));
    }
}
