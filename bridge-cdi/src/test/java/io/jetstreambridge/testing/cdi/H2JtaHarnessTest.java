package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The JTA harness proofs on H2. */
class H2JtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2("harness");
    }
}
