package io.jetstreambridge.reliability;

/**
 * One measured fault: business transactions committed (and rolled back), effects observed, and what went wrong.
 *
 * @param committed     business transactions the publisher committed (each carries one event)
 * @param rolledBack    business transactions it rolled back (none of their events may be observed)
 * @param observed      committed events whose effect the consumer committed (distinct)
 * @param lost          committed events that should have been observed and were not
 * @param doubled       extra effects: an event observed twice counts one
 * @param phantoms      effects of rolled-back business transactions
 * @param deadLettered  copies in the dead-letter subject
 * @param recovery      time to recover, as text ("-" where the fault stops nothing)
 */
record FaultRow(String id, String fault, long committed, long rolledBack, long observed, long lost, long doubled,
                long phantoms, long deadLettered, String recovery, String notes) {

    boolean clean() {
        return lost == 0 && doubled == 0 && phantoms == 0;
    }
}
