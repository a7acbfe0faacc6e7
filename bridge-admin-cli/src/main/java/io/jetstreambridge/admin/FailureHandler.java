package io.jetstreambridge.admin;

import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Turns the exception that ended a command into one readable message on standard error and its exit code; the
 * stack trace only with {@code --verbose}. The library's messages already name the key, the servers or the
 * stream, never a credential.
 */
final class FailureHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception failure, CommandLine commandLine,
                                        CommandLine.ParseResult parseResult) {
        PrintWriter err = commandLine.getErr();
        int code = AdminExit.of(failure);
        // configuration and connection messages say what failed themselves
        String what = code == AdminExit.CHECK_FAILED ? commandLine.getCommandName() + " failed: " : "";
        err.println(what + (failure.getMessage() == null ? failure.toString() : failure.getMessage()));
        if (verbose(parseResult)) {
            failure.printStackTrace(err);
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
