package org.datasandbox.api.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.datasandbox.core.demodata.HubeiDemoData;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code sandbox generate-demo-data}: writes residents.csv and medical_visits.csv. */
@Command(name = "generate-demo-data", mixinStandardHelpOptions = true,
        description = "Generate the synthetic Hubei residents and medical_visits tables as CSV.")
final class GenerateDemoDataCommand implements Callable<Integer> {

    @Option(names = "--rows", defaultValue = "20000", description = "Residents to generate (default: ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--seed", defaultValue = "2026", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--out", defaultValue = ".", description = "Output directory (default: current directory).")
    Path out;

    @Override
    public Integer call() throws Exception {
        HubeiDemoData.Tables tables = HubeiDemoData.generate(rows, seed);
        tables.write(out);
        System.out.println("Wrote " + tables.residents().size() + " residents and " + tables.visits().size()
                + " medical visits to " + out.toAbsolutePath());
        return 0;
    }
}
