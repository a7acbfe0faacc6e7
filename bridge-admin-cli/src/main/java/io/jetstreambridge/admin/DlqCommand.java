package io.jetstreambridge.admin;

import static io.jetstreambridge.admin.Output.line;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.deadletter.BulkReplay;
import io.jetstreambridge.core.deadletter.DeadLetter;
import io.jetstreambridge.core.deadletter.DeadLetterException;
import io.jetstreambridge.core.deadletter.DeadLetterFilter;
import io.jetstreambridge.core.deadletter.DeadLetterOperations;
import io.jetstreambridge.core.deadletter.DeadLetterPage;
import io.jetstreambridge.core.deadletter.DeadLetterQueue;
import io.jetstreambridge.core.deadletter.ReplayResult;
import picocli.CommandLine;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.function.Function;

/**
 * {@code dlq list | inspect | replay}: the dead letters of this application ({@code {app}.sync.dlq}) through the
 * runtime's {@link DeadLetterQueue}; the command line only prints and chooses which entries to hand it.
 */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Lists, inspects and replays this application's dead letters ({app}.sync.dlq).",
        subcommands = {DlqCommand.ListCommand.class, DlqCommand.InspectCommand.class, DlqCommand.ReplayCommand.class})
final class DlqCommand implements Runnable {

    @ParentCommand
    AdminCli cli;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a dlq command: list, inspect, replay");
    }

    /** A dlq subcommand: the configuration options and the engine on a connection they open. */
    abstract static class OnQueue extends Subcommand {

        @ParentCommand
        DlqCommand dlq;

        @Mixin
        ConfigOptions options;

        /** Opens the connection, hands the engine to the action, closes the connection. */
        <T> T withQueue(Function<DeadLetterOperations, T> action) {
            BridgeConfig config = options.load(dlq.cli.environment());
            if (!config.topology().dlqEnabled()) {
                err().println("note: jetstream.bridge.dlq.enabled is false: the application does not dead-letter, "
                        + "so " + config.topology().dlqSubject() + " only holds what was sent while it was on");
            }
            try (AdminConnection nats = AdminConnection.open(config)) {
                return action.apply(DeadLetterQueue.of(nats.connection(), config.topology()));
            }
        }
    }

    static String summary(DeadLetter letter) {
        String error = letter.context().errorClass().isEmpty() ? ""
                : simpleName(letter.context().errorClass()) + (letter.context().errorMessage().isEmpty() ? ""
                : ": " + letter.context().errorMessage());
        String state = letter.replay().map(r -> "replayed " + r.replayedAt() + " as " + r.messageId())
                .orElse("waiting");
        return String.format("%8d  %-20s  %-36s  %-20s  %3d  %s  %s", letter.sequence(), letter.storedAt(),
                letter.eventId(), letter.reason(), letter.deliveries(), state, error);
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "Lists dead letters in stream order: sequence, stored at, event id, reason, deliveries, "
                    + "state (waiting, or replayed as ...) and the error. Replay records are listed too.")
    static final class ListCommand extends OnQueue {

        @Option(names = "--from", paramLabel = "SEQ", defaultValue = "1",
                description = "First stream sequence to look at (default ${DEFAULT-VALUE}).")
        long from;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "100",
                description = "Most entries to show, 1 to 1000 (default ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            if (limit < 1 || limit > 1000 || from < 0) {
                throw usage("--limit must be 1 to 1000 and --from 0 or more");
            }
            PrintWriter out = out();
            return withQueue(queue -> {
                long total = queue.count();
                DeadLetterPage page = queue.list(from, limit);
                out.println(count(total, "dead letter") + " on " + queue.subject()
                        + " (stream " + queue.stream() + ")");
                if (!page.entries().isEmpty()) {
                    out.println(String.format("%8s  %-20s  %-36s  %-20s  %3s  %s", "SEQ", "STORED-AT", "EVENT-ID",
                            "REASON", "DLV", "STATE  ERROR"));
                }
                page.entries().forEach(letter -> out.println(summary(letter)));
                if (page.hasMore()) {
                    out.println("more: dlq list --from " + page.nextSequence());
                }
                return AdminExit.OK;
            });
        }
    }

    @Command(name = "inspect", mixinStandardHelpOptions = true,
            description = "Shows one dead letter: reason, context, headers and the body as stored.")
    static final class InspectCommand extends OnQueue {

        @Parameters(paramLabel = "SEQ", description = "The dead letter's stream sequence (from dlq list).")
        long sequence;

        @Override
        public Integer call() {
            PrintWriter out = out();
            PrintWriter err = err();
            return withQueue(queue -> queue.inspect(sequence).map(letter -> {
                line(out, "sequence", letter.sequence());
                line(out, "stored-at", letter.storedAt());
                line(out, "event-id", letter.eventId());
                line(out, "reason", letter.reason());
                line(out, "deliveries", letter.deliveries());
                line(out, "original-subject", letter.context().originalSubject());
                line(out, "original-sequence", letter.context().sequence());
                line(out, "consumer", letter.context().consumer());
                line(out, "error-class", letter.context().errorClass());
                line(out, "error-message", letter.context().errorMessage());
                letter.replay().ifPresent(replay -> {
                    line(out, "replayed-at", replay.replayedAt());
                    line(out, "replayed-as", replay.messageId() + " on " + replay.subject() + " (stream sequence "
                            + replay.replaySequence() + ")");
                });
                letter.headers().forEach((name, values) -> line(out, "header " + name, String.join(", ", values)));
                out.println("body:");
                out.println(letter.bodyText());
                return AdminExit.OK;
            }).orElseGet(() -> {
                err.println("dlq inspect failed: no dead letter at sequence " + sequence + " on "
                        + queue.subject());
                return AdminExit.CHECK_FAILED;
            }));
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Republishes dead letters to their original subject with a fresh message id "
                    + "({event_id}:replay:{seq}) and records each replay in the DLQ, so none is replayed twice. "
                    + "Exit 1 when any entry could not be replayed (missing, already replayed, refused).")
    static final class ReplayCommand extends OnQueue {

        @ArgGroup(multiplicity = "1")
        Selection selection;

        static final class Selection {
            @Parameters(paramLabel = "SEQ", arity = "1..*",
                    description = "Stream sequences of the dead letters to replay (from dlq list).")
            List<Long> sequences;

            @Option(names = "--all", required = true,
                    description = "Every dead letter waiting now (replay records are left alone), or with the "
                            + "filters below only those that match.")
            boolean all;
        }

        @Option(names = "--reason", paramLabel = "REASON",
                description = "With --all: only this x-dlq-reason (malformed_json, unrecoverable, "
                        + "max_deliver_exceeded, ...).")
        String reason;

        @Option(names = "--event-type", paramLabel = "TYPE",
                description = "With --all: only events of this event_type.")
        String eventType;

        @Option(names = "--stored-from", paramLabel = "INSTANT",
                description = "With --all: only entries dead-lettered at or after this ISO-8601 instant "
                        + "(e.g. 2026-01-31T12:00:00Z).")
        String storedFrom;

        @Option(names = "--stored-until", paramLabel = "INSTANT",
                description = "With --all: only entries dead-lettered before this ISO-8601 instant.")
        String storedUntil;

        @Option(names = "--limit", paramLabel = "N", defaultValue = "1000",
                description = "With --all: replay at most N entries in this run (default ${DEFAULT-VALUE}); run "
                        + "again for the rest, entries already replayed are records and are not taken again.")
        int limit;

        @Override
        public Integer call() {
            PrintWriter out = out();
            PrintWriter err = err();
            DeadLetterFilter filter = filter();
            return withQueue(queue -> {
                if (selection.all) {
                    return replayMatching(queue, filter, out, err);
                }
                int failed = 0;
                for (long sequence : selection.sequences) {
                    try {
                        printReplayed(out, queue.replay(sequence));
                    } catch (DeadLetterException e) {
                        failed++;
                        err.println("not replayed " + sequence + ": " + e.getMessage());
                    }
                }
                return tally(selection.sequences.size(), failed, "replayed");
            });
        }

        private DeadLetterFilter filter() {
            boolean filtered = reason != null || eventType != null || storedFrom != null || storedUntil != null;
            if (filtered && !selection.all) {
                throw usage("--reason, --event-type, --stored-from and --stored-until go with --all, not with "
                        + "sequences");
            }
            if (limit < 1) {
                throw usage("--limit must be 1 or more");
            }
            try {
                return new DeadLetterFilter(reason, eventType, instant("--stored-from", storedFrom),
                        instant("--stored-until", storedUntil));
            } catch (IllegalArgumentException e) {
                throw usage(e.getMessage());
            }
        }

        private Instant instant(String option, String text) {
            if (text == null) {
                return null;
            }
            try {
                return Instant.parse(text.trim());
            } catch (DateTimeParseException e) {
                throw usage(option + " must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was " + text);
            }
        }

        /**
         * The engine's bounded bulk replay, called page by page (at most 1000 per call) up to {@code --limit}; the
         * upper sequence of the first call holds for all, so the records and any new dead letters the replays
         * cause are not taken up again.
         */
        private int replayMatching(DeadLetterOperations queue, DeadLetterFilter filter, PrintWriter out,
                                   PrintWriter err) {
            int replayed = 0;
            int failed = 0;
            long from = 1;
            long through = 0;
            BulkReplay bulk;
            do {
                bulk = queue.replayMatching(filter, from, through, Math.min(1000, limit - replayed - failed));
                bulk.replayed().forEach(result -> printReplayed(out, result));
                bulk.failed().forEach(f -> err.println("not replayed " + f.sequence() + ": " + f.reason()));
                replayed += bulk.replayed().size();
                failed += bulk.failed().size();
                from = bulk.nextSequence();
                through = bulk.throughSequence();
            } while (bulk.hasMore() && replayed + failed < limit);
            out.println(replayed + " of " + (replayed + failed) + " replayed"
                    + (filter.takesAll() ? "" : " (" + filter.describe() + ")"));
            if (bulk.hasMore()) {
                out.println("--limit " + limit + " reached: more may match from sequence " + from
                        + "; run the same command again");
            }
            return failed == 0 ? AdminExit.OK : AdminExit.CHECK_FAILED;
        }

        private static void printReplayed(PrintWriter out, ReplayResult result) {
            out.println("replayed " + result.dlqSequence() + ": event " + result.eventId() + " as "
                    + result.messageId() + " to " + result.subject() + " (stream sequence "
                    + result.streamSequence() + (result.duplicate() ? ", a duplicate JetStream dropped" : "")
                    + "), recorded at " + result.recordSequence());
        }
    }
}
