package io.jetstreambridge.admin;

import static io.jetstreambridge.admin.Output.line;

import io.jetstreambridge.config.Durations;
import io.jetstreambridge.core.outbox.FailedRows;
import io.jetstreambridge.core.outbox.OutboxMaintenance;
import io.jetstreambridge.core.outbox.OutboxRow;
import io.jetstreambridge.core.outbox.OutboxStore;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.Function;
import java.util.function.BiPredicate;

/**
 * {@code outbox backlog | failed | retry | discard}: the application's outbox table through the outbox module's
 * {@link OutboxMaintenance}, over JDBC ({@link DatabaseOptions}); the command line only prints and chooses the rows.
 */
@Command(name = "outbox", mixinStandardHelpOptions = true,
        description = "Shows the outbox backlog, lists failed rows, retries (one, or in bulk) or discards them, in "
                + "the application's database.",
        subcommands = {OutboxCommand.BacklogCommand.class, OutboxCommand.FailedCommand.class,
                OutboxCommand.RetryCommand.class, OutboxCommand.DiscardCommand.class})
final class OutboxCommand implements Runnable {

    @ParentCommand
    AdminCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name an outbox command: backlog, failed, retry, discard");
    }

    /** An outbox subcommand: the database options and the engine on them. */
    abstract static class OnDatabase extends Subcommand {

        @ParentCommand
        OutboxCommand outbox;

        @Mixin
        DatabaseOptions options;

        /** Opens the database, hands the engine to the action, closes it. */
        <T> T withMaintenance(Function<OutboxMaintenance, T> action) {
            AdminCli cli = outbox.cli;
            String url = options.url(cli.environment());
            try (OutboxDatabase database = OutboxDatabase.open(url, options.user(cli.environment()),
                    DatabaseOptions.password(cli.environment()))) {
                return action.apply(database.maintenance());
            }
        }

        /** One operation per named row, each in its own transaction; exit 1 when any row was not a failed row. */
        int each(List<String> eventIds, BiPredicate<OutboxMaintenance, String> operation, String done) {
            return withMaintenance(admin -> {
                int missing = 0;
                for (String eventId : eventIds) {
                    if (operation.test(admin, eventId)) {
                        out().println(done + " " + eventId);
                    } else {
                        missing++;
                        err().println("not " + done + " " + eventId + ": no failed outbox row has this event id");
                    }
                }
                return tally(eventIds.size(), missing, done);
            });
        }
    }

    /** The filter options of {@code failed} and {@code retry}. */
    static final class Filter {

        @Option(names = "--event-type", paramLabel = "TYPE", description = "Only rows of this event type.")
        String eventType;

        @Option(names = "--older-than", paramLabel = "AGE",
                description = "Only rows created longer ago than this, e.g. 30m, 2h, 1d.")
        String olderThan;

        boolean any() {
            return eventType != null || olderThan != null;
        }

        FailedRows rows(CommandLine commandLine) {
            Duration age = null;
            if (olderThan != null) {
                try {
                    age = Durations.parse(olderThan);
                } catch (IllegalArgumentException e) {
                    throw new CommandLine.ParameterException(commandLine, "--older-than: " + e.getMessage());
                }
            }
            try {
                return FailedRows.of(eventType, age, Clock.systemUTC().instant());
            } catch (IllegalArgumentException e) {
                throw new CommandLine.ParameterException(commandLine, e.getMessage());
            }
        }
    }

    @Command(name = "backlog", mixinStandardHelpOptions = true,
            description = "Pending and failed rows, and when the oldest pending row was written.")
    static final class BacklogCommand extends OnDatabase {

        @Override
        public Integer call() {
            PrintWriter out = out();
            OutboxStore.Backlog backlog = withMaintenance(OutboxMaintenance::backlog);
            line(out, "pending", backlog.pending());
            line(out, "failed", backlog.failed());
            line(out, "oldest-pending", backlog.oldestCreatedAt() == null ? "-" : backlog.oldestCreatedAt());
            return AdminExit.OK;
        }
    }

    @Command(name = "failed", mixinStandardHelpOptions = true,
            description = "Lists failed rows (they used up outbox.relay.max-attempts), oldest first: id, created at, "
                    + "event id, event type, attempts and the last error.")
    static final class FailedCommand extends OnDatabase {

        @Mixin
        Filter filter;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "Most rows to show, 1 to 1000 (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000) {
                throw usage("--limit must be 1 to 1000");
            }
            FailedRows which = filter.rows(spec.commandLine());
            PrintWriter out = out();
            List<OutboxRow> rows = withMaintenance(admin -> admin.failed(which, limit));
            out.println(count(rows.size(), "failed row") + " shown (" + which + ")");
            if (!rows.isEmpty()) {
                out.println(String.format("%8s  %-20s  %-36s  %-24s  %3s  %s", "ID", "CREATED-AT", "EVENT-ID",
                        "EVENT-TYPE", "ATT", "LAST-ERROR"));
            }
            rows.forEach(row -> out.println(String.format("%8d  %-20s  %-36s  %-24s  %3d  %s", row.id(),
                    row.createdAt().truncatedTo(ChronoUnit.SECONDS), row.eventId(), row.eventType(), row.attempts(),
                    row.lastError() == null ? "" : row.lastError().replace('\n', ' '))));
            return AdminExit.OK;
        }
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Puts failed rows back to pending with fresh attempts; the relay publishes them with their "
                    + "own event id as Nats-Msg-Id. Name event ids, or --all, or --event-type and/or --older-than "
                    + "(in batches of " + OutboxMaintenance.RETRY_BATCH + " rows, each in a transaction of its own). "
                    + "Exit 1 when a named row is not a failed row.")
    static final class RetryCommand extends OnDatabase {

        @Mixin
        Filter filter;

        @Parameters(paramLabel = "EVENT_ID", arity = "0..*", description = "Event ids of failed rows.")
        List<String> eventIds;

        @Option(names = "--all", description = "Every failed row.")
        boolean all;

        @Override
        public Integer call() {
            boolean named = eventIds != null && !eventIds.isEmpty();
            int modes = (named ? 1 : 0) + (all ? 1 : 0) + (filter.any() ? 1 : 0);
            if (modes != 1) {
                throw usage("name event ids, or --all, or --event-type and/or --older-than (one of these)");
            }
            if (named) {
                return each(eventIds, OutboxMaintenance::retry, "retried");
            }
            FailedRows which = all ? FailedRows.ALL : filter.rows(spec.commandLine());
            int retried = withMaintenance(admin -> admin.retryFailed(which));
            out().println(count(retried, "failed row") + " put back to pending (" + which
                    + "); the relay publishes them on its next rounds");
            return AdminExit.OK;
        }
    }

    @Command(name = "discard", mixinStandardHelpOptions = true,
            description = "Deletes failed rows: their events are never published. Exit 1 when a named row is not a "
                    + "failed row.")
    static final class DiscardCommand extends OnDatabase {

        @Parameters(paramLabel = "EVENT_ID", arity = "1..*", description = "Event ids of failed rows.")
        List<String> eventIds;

        @Override
        public Integer call() {
            return each(eventIds, OutboxMaintenance::discard, "discarded");
        }
    }
}
