package io.jetstreambridge.testing.jta;

/** The JTA harness proofs on H2, its connections enlisted through the driver's XADataSource. */
class H2XaJtaHarnessTest extends AbstractJtaHarnessTest {

    @Override
    protected TestDatabase newDatabase() {
        return TestDatabase.h2("harness_xa").xa();
    }
}
