package io.jetstreambridge.admin;

import io.jetstreambridge.config.UserInfoRedaction;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Turns the exception that ended a command into one readable message on standard error and its exit code; the
 * stack trace only with {@code --verbose}. The library's messages already name the key, the servers or the
 * stream, never a credential; both are redacted once more here, since a cause may come from another library.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine,
                                        CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int code = AdminExit.of(failure);
        // configuration and connection messages say what failed themselves
        String what = code == AdminExit.CHECK_FAILED ? commandLine.getCommandName() + " failed: " : "";
        err.println(UserInfoRedaction.redact(
                what + (failure.getMessage() == null ? failure.toString() : failure.getMessage())));
        if (verbose(parseResult)) {
            // a cause from a library may name a server URL with its user info
            StringWriter trace = new StringWriter();
            failure.printStackTrace(new PrintWriter(trace));
            err.print(UserInfoRedaction.redact(trace.toString()));
        }
        err.flush();
        return code;
    }

    private static boolean verbose(CommandLine.ParseResult parseResult) {
        CommandLine.ParseResult last = parseResult;
        while (last.hasSubcommand()) {
            last = last.subcommand();
        }
        return last.hasMatchedOption("--verbose");
    }
}
