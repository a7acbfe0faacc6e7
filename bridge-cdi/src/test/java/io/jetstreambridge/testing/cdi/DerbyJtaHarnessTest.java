package io.jetstreambridge.testing.cdi;

import io.jetstreambridge.testing.jta.TestDatabase;

/** The JTA harness proofs on Derby. */
class DerbyJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.derby("harness");
    }

    @Override
    protected boolean readersBlockOnUncommittedRows() {
        return true; // Derby locks the inserted row until the transaction ends
    }
}
