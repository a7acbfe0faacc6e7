package io.jetstreambridge.bench;

/**
 * What a measured part of the bench used: where the cores went ({@link CpuSplit}) and PostgreSQL's server time per
 * statement ({@link StatementStats}), over {@code events} events (or business commits, for the writers without
 * publishing).
 */
record Usage(long events, CpuSplit.Result cpu, StatementStats.Result statements) {

    /** Two parts of the same kind (rounds) as one. */
    Usage plus(Usage other) {
        if (other == null) {
            return this;
        }
        return new Usage(events + other.events, cpu.plus(other.cpu), statements.plus(other.statements));
    }

    /** CPU time of one process per event, in microseconds. */
    double cpuMicrosPerEvent(String process) {
        return events <= 0 ? 0 : cpu.cores().getOrDefault(process, 0.0) * cpu.seconds() / events * 1_000_000;
    }
}
