package io.jetstreambridge.admin;

import picocli.CommandLine.Option;

import java.util.Map;
import java.util.Optional;

/**
 * Where the application's outbox table is, for the {@code outbox} commands: a JDBC URL and a user, each from an
 * option or the environment, and the password only from the environment, so it never shows in a process list or a
 * shell history.
 */
final class DatabaseOptions {

    static final String URL_VARIABLE = "JETSTREAM_BRIDGE_ADMIN_JDBC_URL";
    static final String USER_VARIABLE = "JETSTREAM_BRIDGE_ADMIN_JDBC_USER";
    static final String PASSWORD_VARIABLE = "JETSTREAM_BRIDGE_ADMIN_JDBC_PASSWORD";

    @Option(names = "--jdbc-url", paramLabel = "URL",
            description = "JDBC URL of the application's database (the one holding jetstream_bridge_outbox_events), "
                    + "e.g. jdbc:postgresql://db:5432/orders or jdbc:mariadb://db:3306/orders. Default: $"
                    + URL_VARIABLE + ".")
    String url;

    @Option(names = "--jdbc-user", paramLabel = "USER",
            description = "Database user. Default: $" + USER_VARIABLE + ". The password is read from $"
                    + PASSWORD_VARIABLE + " only.")
    String user;

    @Option(names = {"-v", "--verbose"}, description = "Print stack traces.")
    boolean verbose;

    /** @throws UsageException when no URL is given either way */
    String url(Map<String, String> environment) {
        return Optional.ofNullable(url).or(() -> nonBlank(environment.get(URL_VARIABLE)))
                .orElseThrow(() -> new UsageException("name the application's database: --jdbc-url URL or $"
                        + URL_VARIABLE + " (the password goes in $" + PASSWORD_VARIABLE + ")"));
    }

    String user(Map<String, String> environment) {
        return Optional.ofNullable(user).or(() -> nonBlank(environment.get(USER_VARIABLE))).orElse(null);
    }

    static String password(Map<String, String> environment) {
        return nonBlank(environment.get(PASSWORD_VARIABLE)).orElse(null);
    }

    private static Optional<String> nonBlank(String value) {
        return Optional.ofNullable(value).filter(v -> !v.isBlank());
    }
}
