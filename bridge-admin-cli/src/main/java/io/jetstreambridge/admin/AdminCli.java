package io.jetstreambridge.admin;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.util.Map;
import java.util.Objects;

/**
 * {@code jetstream-bridge-admin}: the operator's command line, the counterpart of the Ruby gem's rake tasks. Each
 * command reads the library's own configuration keys (a properties file and the environment, as MicroProfile
 * Config reads them) through the library's own validation, and uses the runtime's engines; it adds no rules of
 * its own. See {@code docs/operations.md} for the reference.
 */
@Command(name = "jetstream-bridge-admin", mixinStandardHelpOptions = true, versionProvider = AdminCli.Version.class,
        description = "Operates a JetStream Bridge deployment with the application's configuration keys.",
        subcommands = {ValidateCommand.class, TestConnectionCommand.class, ProvisionCommand.class,
                HealthCommand.class, DlqCommand.class, OutboxCommand.class, CommandLine.HelpCommand.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
                "0:done; every check passed",
                "1:a check failed (health DOWN, provisioning refused or drifted, JetStream unavailable, a dead "
                        + "letter missing or not replayed, an outbox row not failed or a bulk retry stopped)",
                "2:usage or configuration error (unknown option, unreadable --config file, invalid settings)",
                "3:cannot connect to NATS or, for outbox commands, the database (unreachable, refused credentials)"})
public final class AdminCli implements Runnable {

    private final Map<String, String> environment;

    @Spec
    CommandSpec spec;

    AdminCli(Map<String, String> environment) {
        this.environment = Map.copyOf(Objects.requireNonNull(environment, "environment"));
    }

    public static void main(String[] args) {
        // one line per log record, before anything touches java.util.logging
        if (System.getProperty("java.util.logging.SimpleFormatter.format") == null) {
            System.setProperty("java.util.logging.SimpleFormatter.format", "%4$s: %5$s%6$s%n");
        }
        Charset charset = Charset.defaultCharset();
        int code = run(args, System.getenv(), new PrintWriter(System.out, true, charset),
                new PrintWriter(System.err, true, charset));
        System.exit(code);
    }

    /**
     * Runs one command line and returns its exit code ({@link AdminExit}).
     *
     * @param environment the process environment, in which {@code JETSTREAM_BRIDGE_*} variables are looked up
     */
    static int run(String[] args, Map<String, String> environment, PrintWriter out, PrintWriter err) {
        CommandLine commandLine = new CommandLine(new AdminCli(environment));
        commandLine.setOut(out);
        commandLine.setErr(err);
        commandLine.setExecutionExceptionHandler(new FailureHandler());
        int code = commandLine.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Without a command there is nothing to do: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name a command: validate, test-connection, provision, health, dlq, outbox");
    }

    Map<String, String> environment() {
        return environment;
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String version = AdminCli.class.getPackage().getImplementationVersion();
            return new String[] {"jetstream-bridge-admin " + (version == null ? "(development build)" : version)};
        }
    }
}
