package org.archrepair.repair.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The archrepair command line: {@code archrepair <command> [options]}; {@code --help} on each. */
@Command(name = "archrepair", mixinStandardHelpOptions = true, version = "archrepair 0.1.0",
        description = "Block-level architecture-oriented repair of deep neural networks, on its own tensor engine.",
        subcommands = {RepairCommand.class, CompareCommand.class, LocalizeCommand.class, EvaluateCommand.class,
                TrainCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line: errors print one line naming the command (the stack with -Darchrepair.debug=true). */
    public static CommandLine commandLine() {
        System.setProperty("archrepair.defaultThreads", Integer.toString(Runtime.getRuntime().availableProcessors()));
        CommandLine cli = new CommandLine(new Main());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("archrepair " + cmd.getCommandName() + ": " + message(ex));
            if (Boolean.getBoolean("archrepair.debug")) ex.printStackTrace(cmd.getErr());
            return 2;
        });
        return cli;
    }

    private static String message(Throwable ex) {
        String m = ex.getMessage();
        return m != null ? m : ex.getClass().getSimpleName();
    }
}
