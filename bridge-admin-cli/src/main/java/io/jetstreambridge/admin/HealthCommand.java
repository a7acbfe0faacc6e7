package io.jetstreambridge.admin;

import static io.jetstreambridge.admin.Output.line;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.core.health.HealthContribution;
import io.jetstreambridge.core.health.StreamStateProbe;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The stream and consumer as the server sees them, through the readiness check's own {@link StreamStateProbe}, so
 * the keys are those of {@code /health/ready} (docs/operations-health.md).
 */
@Command(name = "health", mixinStandardHelpOptions = true,
        description = "Shows the connection, the stream (messages, dead-letter count) and the durable consumer "
                + "(pending, ack pending, redelivered, undeliverable: given up on by the server) with the readiness "
                + "check's keys. Exit 1 when DOWN (stream "
                + "or consumer missing, subjects missing, no answer).")
final class HealthCommand implements Callable<Integer> {

    @ParentCommand
    AdminCli cli;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        BridgeConfig config = options.load(cli.environment());
        PrintWriter out = spec.commandLine().getOut();
        try (AdminConnection nats = AdminConnection.open(config)) {
            HealthContribution health = new StreamStateProbe(config).inspect(nats.connection());
            out.println(health.up() ? "UP" : "DOWN");
            health.reasons().forEach(reason -> line(out, "reason", reason));
            health.data().forEach((key, value) -> line(out, key, value));
            return health.up() ? AdminExit.OK : AdminExit.CHECK_FAILED;
        }
    }
}
