package org.betaas.benchmarks;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * Operator and benchmark command line: {@code java -jar betaas-benchmarks.jar forecast|simulate ...}.
 * Each sub-command prints one JSON object on standard output; errors go to standard error with exit code 2.
 */
public final class Main {

    /** A sub-command: parses its own arguments, prints its result, returns the process exit code. */
    @FunctionalInterface
    public interface SubCommand {
        int run(String[] args, PrintStream out, PrintStream err) throws Exception;
    }

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
        if (args.length == 0) {
            err.println("usage: betaas-benchmarks.jar forecast FILE.csv [options] | simulate [options]");
            return 2;
        }
        String[] rest = Arrays.copyOfRange(args, 1, args.length);
        SubCommand command = SubCommands.find(args[0]);
        if (command == null) {
            err.println("unknown sub-command '" + args[0] + "': use one of " + SubCommands.names());
            return 2;
        }
        return command.run(rest, out, err);
    }
}
