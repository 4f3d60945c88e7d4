package org.datasandbox.api.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.datasandbox.api.v1.DatasetInfo;
import org.datasandbox.core.identity.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code sandbox dataset register}: a provider's upload of an original table to a running server. */
@Command(name = "dataset", mixinStandardHelpOptions = true, description = "Register original tables (provider).",
        subcommands = DatasetCommand.Register.class)
final class DatasetCommand implements Runnable {

    @Override
    public void run() {
        new picocli.CommandLine(this).usage(System.out);
    }

    @Command(name = "register", mixinStandardHelpOptions = true,
            description = "Upload a CSV file (UTF-8, a header of column names) or a Parquet file (flat columns) as an "
                    + "original table; it is stored encrypted.")
    static final class Register implements Callable<Integer> {
        @Mixin
        ServerConnection server;

        @Option(names = "--name", required = true, description = "Table name: a lower-case identifier.")
        String name;

        @Option(names = "--description", defaultValue = "", description = "What the table holds.")
        String description;

        @Option(names = "--type", description = "A CSV column's type, instead of the inferred one: column=type "
                + "(string, integer, bigint, double, date, timestamp, boolean). Repeatable. A Parquet file's "
                + "schema gives its types.")
        Map<String, String> types = new LinkedHashMap<>();

        @Option(names = "--format", description = "csv or parquet (default: parquet for a .parquet file, else csv).")
        String format;

        @Parameters(paramLabel = "FILE", description = "The CSV or Parquet file to upload.")
        Path file;

        /** The format asked for, else the file's extension. */
        String format() {
            if (format != null && !format.isBlank()) {
                return format.strip().toLowerCase(java.util.Locale.ROOT);
            }
            return file.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".parquet") ? "parquet" : "csv";
        }

        @Override
        public Integer call() throws Exception {
            return server.run(Role.PROVIDER, file + ": ", provider -> {
                DatasetInfo info = provider.registerDataset(name, description, format(), Files.newInputStream(file),
                        types);
                System.out.printf("%s: registered %s, %d columns, content hash %s%n", file, info.getName(),
                        info.getColumnsCount(), info.getContentHash());
                info.getColumnsList().forEach(c -> System.out.printf("  %-24s %s%n", c.getName(), c.getType()));
                return 0;
            });
        }
    }
}
