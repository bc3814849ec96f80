package org.archrepair.repair.cli;

import org.archrepair.kernels.cuda.CudaUnavailableException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The archrepair command line: {@code archrepair <command> [options]}; {@code --help} on each.
 * An error is one line, {@code archrepair <command>: <message>}, with the stack trace only under
 * {@code -Darchrepair.debug=true}. Exit codes: 0 done, 2 bad input (a flag, a file or a folder at
 * fault: IOException, IllegalArgumentException, and picocli's own usage errors), 1 anything else
 * (a run that failed, e.g. a diverging loss, or a bug).
 */
@Command(name = "archrepair", mixinStandardHelpOptions = true, version = "archrepair 0.1.0",
        description = "Block-level architecture-oriented repair of deep neural networks, on its own tensor engine.",
        subcommands = {RepairCommand.class, CompareCommand.class, LocalizeCommand.class, EvaluateCommand.class,
                CorruptCommand.class, CrossCorruptionCommand.class, TrainCommand.class})
public final class Main implements Runnable {
    public static final int BAD_INPUT = 2, FAILED = 1;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int code;
        try {
            code = commandLine().execute(args);
        } catch (OutOfMemoryError e) {
            System.err.println("archrepair: out of memory (" + e.getMessage() + "); give the JVM more heap, e.g. "
                    + "ARCHREPAIR_JAVA_OPTS=-Xmx16g");
            code = FAILED;
        }
        System.exit(code);
    }

    /** The configured command line: errors print one line naming the command (the stack with -Darchrepair.debug=true). */
    public static CommandLine commandLine() {
        System.setProperty("archrepair.defaultThreads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("archrepair " + cmd.getCommandName() + ": " + message(ex));
            if (Boolean.getBoolean("archrepair.debug")) ex.printStackTrace(cmd.getErr());
            cmd.getErr().flush();
            return isBadInput(ex) ? BAD_INPUT : FAILED;
        });
        return cli;
    }

    /** Bad input: a file, a flag, or a device the flags ask for that this machine does not have. */
    static boolean isBadInput(Throwable ex) {
        return ex instanceof IOException || ex instanceof UncheckedIOException || ex instanceof IllegalArgumentException
                || ex instanceof CudaUnavailableException;
    }

    /** The message on one line; for an exception that is neither bad input nor ours, its type first. */
    static String message(Throwable ex) {
        String m = ex.getMessage();
        boolean ours = isBadInput(ex) || ex.getClass().getName().startsWith("org.archrepair.");
        String text = ours && m != null && !m.isBlank() ? m
                : ex.getClass().getSimpleName() + (m != null && !m.isBlank() ? ": " + m : "");
        return text.replaceAll("\\s*\\R\\s*", " ").strip();
    }
}
