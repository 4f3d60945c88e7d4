package org.datasandbox.api.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.datasandbox.core.batch.BatchResult;
import org.datasandbox.core.batch.BatchRunner;
import org.datasandbox.core.storage.EncryptedParquet;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code sandbox query --batch}: runs a file of queries against CSV originals and writes one JSON line
 * per query to stdout with exactly what would be released. Progress and warnings go to stderr.
 */
@Command(name = "query", mixinStandardHelpOptions = true,
        description = "Run a batch of queries ({\"id\": ..., \"sql\": ...} per line) against CSV originals under a policy folder.")
final class QueryCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Mixin
    PolicyFolderOptions folder;

    @Mixin
    CsvFolderOptions originals;

    @Option(names = "--batch", required = true, description = "JSON Lines file of {\"id\": ..., \"sql\": ...}.")
    Path batch;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        Path work = Files.createTempDirectory("data-sandbox-batch-");
        try (BatchRunner runner = BatchRunner.open(folder.policyDir, originals.dataDir, folder.scenario(), originals.config(work));
             BufferedReader lines = Files.newBufferedReader(batch, StandardCharsets.UTF_8)) {
            runner.skippedTables().forEach(t -> System.err.println("warning: no " + t + ".csv in " + originals.dataDir + "; table skipped"));
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                out.println(JSON.writeValueAsString(toJson(evaluate(runner, line, number))));
            }
        } finally {
            EncryptedParquet.deleteRecursively(work); // the throw-away sandbox, its keys and encrypted copies
        }
        return 0;
    }

    private static BatchResult evaluate(BatchRunner runner, String line, int number) {
        JsonNode request;
        try {
            request = JSON.readTree(line);
        } catch (Exception e) {
            request = null;
        }
        if (request == null || !request.isObject() || !request.path("sql").isTextual()) {
            String id = request != null && request.path("id").isValueNode() ? request.path("id").asText() : "line-" + number;
            return new BatchResult(id, "REJECT", "INVALID_REQUEST", "line " + number
                    + " is not a JSON object with a string \"sql\"", null, null, null);
        }
        String id = request.path("id").isValueNode() ? request.path("id").asText() : "line-" + number;
        return runner.run(id, request.get("sql").asText());
    }

    private static Map<String, Object> toJson(BatchResult result) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", result.id());
        out.put("decision", result.decision());
        out.put("rule", result.rule());
        out.put("message", result.message());
        out.put("rewrittenSql", result.rewrittenSql());
        if (result.error() != null) {
            out.put("error", result.error());
        }
        if (result.dp() != null) {
            // DP mode: what the release spent, and per value its mechanism, epsilon and interval columns
            out.put("epsilon", result.dp().get("epsilon"));
            out.put("delta", result.dp().get("delta"));
            out.put("dp", result.dp());
        }
        if (result.rows() != null) {
            out.put("rows", result.rows());
        }
        return out;
    }
}
