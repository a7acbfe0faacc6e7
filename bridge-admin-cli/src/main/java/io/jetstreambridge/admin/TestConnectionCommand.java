package io.jetstreambridge.admin;

import static io.jetstreambridge.admin.Output.line;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.UserInfoRedaction;
import io.nats.client.Connection;
import io.nats.client.JetStreamApiException;
import io.nats.client.JetStreamOptions;
import io.nats.client.api.AccountLimits;
import io.nats.client.api.AccountStatistics;
import io.nats.client.api.ServerInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;

/** Connects with the configured servers and credentials and shows what answered. */
@Command(name = "test-connection", mixinStandardHelpOptions = true,
        description = "Connects as the application would; prints the server, the round-trip time and the "
                + "JetStream account (usage and limits). Exit 3 when NATS cannot be reached or refuses the "
                + "credentials, 1 when JetStream is not available to this user.")
final class TestConnectionCommand implements Callable<Integer> {

    @ParentCommand
    AdminCli cli;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws InterruptedException {
        BridgeConfig config = options.load(cli.environment());
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try (AdminConnection nats = AdminConnection.open(config)) {
            Connection connection = nats.connection();
            ServerInfo server = connection.getServerInfo();
            out.println("connected");
            line(out, "server", UserInfoRedaction.redactUrls(String.valueOf(connection.getConnectedUrl())));
            line(out, "server-name", server.getServerName());
            line(out, "server-id", server.getServerId());
            line(out, "version", server.getVersion());
            line(out, "cluster", server.getCluster() == null ? "(none)" : server.getCluster());
            line(out, "max-payload", server.getMaxPayload() + " bytes");
            line(out, "authentication", config.nats().authenticationKind());
            line(out, "rtt", roundTrip(connection));
            if (!server.isJetStreamAvailable()) {
                err.println("test-connection failed: JetStream is not enabled on " + server.getServerName());
                return AdminExit.CHECK_FAILED;
            }
            return account(connection, config.health().checkTimeout(), out, err);
        }
    }

    private static String roundTrip(Connection connection) throws InterruptedException {
        try {
            return String.format(Locale.ROOT, "%.3f ms", connection.RTT().toNanos() / 1e6);
        } catch (IOException e) {
            return "no answer to a ping (" + e.getMessage() + ")";
        }
    }

    private static int account(Connection connection, Duration timeout, PrintWriter out, PrintWriter err) {
        AccountStatistics account;
        try {
            account = connection.jetStreamManagement(JetStreamOptions.builder().requestTimeout(timeout).build())
                    .getAccountStatistics();
        } catch (JetStreamApiException | IOException e) {
            err.println("test-connection failed: no JetStream account information (" + e.getMessage() + "). "
                    + "JetStream is off for this account, or this user may not call $JS.API.INFO (a restricted "
                    + "application user; see docs/restricted-permissions.md)");
            return AdminExit.CHECK_FAILED;
        }
        AccountLimits limits = account.getLimits();
        line(out, "jetstream-domain", account.getDomain() == null ? "(none)" : account.getDomain());
        line(out, "jetstream-streams", account.getStreams() + " of " + limit(limits.getMaxStreams()));
        line(out, "jetstream-consumers", account.getConsumers() + " of " + limit(limits.getMaxConsumers()));
        line(out, "jetstream-memory", account.getMemory() + " of " + limit(limits.getMaxMemory()) + " bytes");
        line(out, "jetstream-storage", account.getStorage() + " of " + limit(limits.getMaxStorage()) + " bytes");
        return AdminExit.OK;
    }

    private static String limit(long value) {
        return value < 0 ? "unlimited" : String.valueOf(value);
    }
}
