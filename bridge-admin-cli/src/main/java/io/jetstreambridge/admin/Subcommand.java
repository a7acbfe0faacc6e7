package io.jetstreambridge.admin;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.concurrent.Callable;

/**
 * The plumbing every {@code outbox} and {@code dlq} subcommand shares: where it prints, how it refuses a bad
 * command line (exit 2), and the closing count and exit code of a command that works through named entries.
 */
abstract class Subcommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    PrintWriter err() {
        return spec.commandLine().getErr();
    }

    /** A command line that picocli accepted but this command cannot run: usage exit code, with the help hint. */
    CommandLine.ParameterException usage(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    /** "1 failed row", "2 failed rows". */
    static String count(long count, String noun) {
        return count + " " + noun + (count == 1 ? "" : "s");
    }

    /** Prints "{done} of {chosen} {what}"; exit 1 when any chosen entry failed. */
    int tally(int chosen, int failed, String what) {
        out().println(chosen - failed + " of " + chosen + " " + what);
        return failed == 0 ? AdminExit.OK : AdminExit.CHECK_FAILED;
    }
}
