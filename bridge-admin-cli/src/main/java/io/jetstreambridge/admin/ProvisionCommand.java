package io.jetstreambridge.admin;

import static io.jetstreambridge.admin.Output.line;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.topology.ProvisioningReport;
import io.jetstreambridge.core.topology.StreamProvisioner;
import io.jetstreambridge.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Creates or updates the stream (every peer's subjects) and creates each peer's durable consumer with the runtime's
 * own {@link StreamProvisioner}, so what an administrator provisions is exactly what {@code auto-provision=true}
 * would have made. One line per durable.
 */
@Command(name = "provision", mixinStandardHelpOptions = true,
        description = "Creates or updates the stream with every peer's subjects and creates each peer's durable "
                + "consumer (one line each), as auto-provision would, "
                + "with the credentials given (typically an administrator's, through JETSTREAM_BRIDGE_NATS_* "
                + "variables over the application's file). An existing consumer's ack wait, backoff, max deliver "
                + "and max ack pending are updated in place unless jetstream.bridge.consumer.drift=report. "
                + "Idempotent; never deletes a subject or a durable. Exit 1 when the server refuses (also when a "
                + "durable consumes another peer's subject: destination-apps reordered), or when the existing "
                + "stream or a consumer still "
                + "differs from the configuration (left as it is).")
final class ProvisionCommand implements Callable<Integer> {

    @ParentCommand
    AdminCli cli;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        BridgeConfig config = options.load(cli.environment());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Topology topology = config.topology();
        try (AdminConnection nats = AdminConnection.open(config)) {
            ProvisioningReport report = new StreamProvisioner(nats.connection().jetStreamManagement(), config)
                    .provision();
            String subjects = report.addedSubjects().isEmpty() ? ""
                    : (report.streamAction() == ProvisioningReport.Action.CREATED ? ", subjects: " : ", subjects added: ")
                    + String.join(", ", report.addedSubjects());
            line(out, "stream", topology.stream() + " " + action(report.streamAction()) + subjects);
            for (ProvisioningReport.ConsumerOutcome consumer : report.consumers()) {
                line(out, "consumer", consumer.action() == ProvisioningReport.Action.SKIPPED
                        ? consumer.durable() + " skipped (jetstream.bridge.consumer.enabled=false)"
                        : consumer.durable() + " " + action(consumer.action()) + " on " + consumer.filterSubject()
                        + " (peer " + consumer.peer() + ")");
                consumer.updated().forEach(change -> line(out, "updated", "consumer " + consumer.durable()
                        + ": " + change));
            }
            if (report.drifted()) {
                drift(err, "stream " + topology.stream(), report.streamDrift());
                report.consumers().forEach(consumer -> drift(err, "consumer " + consumer.durable(),
                        consumer.drift()));
                err.println("provision failed: the server's settings differ from the configuration and were left "
                        + "as they are; change the configuration, or delete and re-create them (docs/operations.md)");
                return AdminExit.CHECK_FAILED;
            }
            return AdminExit.OK;
        }
    }

    private static String action(ProvisioningReport.Action action) {
        return action.name().toLowerCase(Locale.ROOT);
    }

    private static void drift(PrintWriter err, String what, List<String> differences) {
        differences.forEach(difference -> err.println("drift: " + what + ": " + difference));
    }
}
