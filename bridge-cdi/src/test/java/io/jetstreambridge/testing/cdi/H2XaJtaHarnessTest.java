package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The JTA harness proofs on H2, its connections enlisted through the driver's XADataSource. */
class H2XaJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2("harness_xa").xa();
    }
}
