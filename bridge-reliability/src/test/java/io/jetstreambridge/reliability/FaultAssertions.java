package io.jetstreambridge.reliability;

import static org.assertj.core.api.Assertions.assertThat;

/** Records a fault's row in the report, then fails the test when anything was lost, doubled or phantom. */
final class FaultAssertions {

    private FaultAssertions() {
    }

    static void recordAndCheck(FaultRow row, Pipeline.Tally tally, Pipeline run) {
        ReliabilityReport.record(row);
        assertThat(row.clean())
                .as("%s: %s\nrun directory %s%s", row.id(), tally.describe(), run.directory(), run.logs())
                .isTrue();
        assertThat(tally.problem()).as("%s: %s%s", row.id(), tally.describe(), run.logs()).isNull();
    }
}
