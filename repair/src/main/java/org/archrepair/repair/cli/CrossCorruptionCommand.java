package org.archrepair.repair.cli;

import org.archrepair.repair.report.CrossCorruption;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** archrepair cross-corruption: the Fig. 6/7 picture from the folders of scenario-2 repairs. */
@Command(name = "cross-corruption", mixinStandardHelpOptions = true,
        description = "Collect repairs made with --scenario corruption (their --out folders) into the cross-corruption "
                + "matrix of the paper's Fig. 6 (change in accuracy on every measured corruption after repairing on "
                + "each) as Markdown, CSV and a heat map, and the accuracies before and after as bars (Fig. 7), per method.")
public final class CrossCorruptionCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "RUN", description = "Repair folders (each with a report.json).")
    List<Path> runs;
    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Folder for the matrix and charts.")
    Path out;

    @Override
    public Integer call() throws Exception {
        List<CrossCorruption.Run> read = new ArrayList<>();
        for (Path r : runs) read.add(CrossCorruption.read(r));
        Files.createDirectories(out);
        CrossCorruption.write(read, out);
        for (String m : read.stream().map(CrossCorruption.Run::method).distinct().toList())
            System.out.println(Files.readString(out.resolve("matrix-" + m + ".md")));
        return 0;
    }
}
