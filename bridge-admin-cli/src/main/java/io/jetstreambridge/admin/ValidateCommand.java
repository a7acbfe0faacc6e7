package io.jetstreambridge.admin;

import io.jetstreambridge.config.BridgeConfig;
import io.jetstreambridge.config.Durations;
import io.jetstreambridge.config.InvalidConfigurationException;
import io.jetstreambridge.config.NatsSettings;
import io.jetstreambridge.topology.Peers;
import io.jetstreambridge.topology.Topology;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.concurrent.Callable;

import static io.jetstreambridge.admin.Output.line;

/** Reads the configuration exactly as the application would and prints every problem at once, or a summary. */
@Command(name = "validate", mixinStandardHelpOptions = true,
        description = "Validates the configuration as the application would; prints every problem at once "
                + "(exit 2), or a summary of what the bridge will use (exit 0). Makes no connection.")
final class ValidateCommand implements Callable<Integer> {

    @ParentCommand
    AdminCli cli;

    @Mixin
    ConfigOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        BridgeConfig config;
        try {
            config = options.load(cli.environment());
        } catch (InvalidConfigurationException e) {
            out.println(e.getMessage());
            return AdminExit.USAGE;
        }
        out.println("configuration is valid");
        summary(out, config);
        return AdminExit.OK;
    }

    static void summary(PrintWriter out, BridgeConfig config) {
        Topology topology = config.topology();
        NatsSettings nats = config.nats();
        line(out, "app-name", topology.appName());
        Peers peers = config.peers();
        line(out, peers.topologies().size() == 1 ? "destination-app" : "destination-apps",
                String.join(", ", peers.names()) + (peers.topologies().size() == 1 ? ""
                        : " (primary " + topology.destinationApp() + ")"));
        line(out, "servers", NatsSettings.redactUrls(String.join(",", nats.urls())) + " (authentication: "
                + nats.authenticationKind() + (nats.tls().enabled() ? ", TLS" : "") + ")");
        line(out, "stream", topology.stream() + " (" + lower(config.stream().storage()) + ", replicas "
                + config.stream().replicas() + ", duplicate window "
                + Durations.format(config.stream().duplicateWindow()) + ")");
        line(out, "stream subjects", String.join(", ", peers.streamSubjects()));
        if (peers.topologies().size() == 1) {
            line(out, "publish subject", topology.publishSubject());
            line(out, "consumer", config.consumer().enabled()
                    ? topology.durableName() + " on " + topology.consumeSubject() + " ("
                    + lower(config.consumer().mode()) + ")"
                    : "off");
        } else {
            for (Topology peer : peers.topologies()) {
                line(out, "peer " + peer.destinationApp(), "publish " + peer.publishSubject() + ", consume "
                        + peer.consumeSubject() + ", durable " + peer.durableName()
                        + (peer == topology ? " (primary)" : ""));
            }
            line(out, "consumers", config.consumer().enabled()
                    ? lower(config.consumer().mode()) + ", one durable per peer" : "off");
        }
        line(out, "dead-letter subject", topology.dlqEnabled() ? topology.dlqSubject() : "off");
        line(out, "auto-provision", String.valueOf(config.autoProvision()));
        line(out, "outbox", config.outbox().enabled() ? "on (retry span "
                + Durations.format(config.outbox().retrySpan(config.publish().ackTimeout()))
                + ", inside the duplicate window" + (config.autoProvision() ? ")" : " the stream must have)") : "off");
        line(out, "inbox", config.inbox().enabled() ? "on" : "off");
    }

    private static String lower(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }
}
