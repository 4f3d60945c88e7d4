package org.datasandbox.core.oracle;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** The issue's attack families as written in {@code oracle/known-attacks.tsv}, for the target person of the data. */
record KnownAttacks(List<Attack> attacks) {

    /** One attack: its family, how many leading output columns identify a row, and its SQL. */
    record Attack(String family, int keys, String sql) {
    }

    KnownAttacks {
        attacks = List.copyOf(attacks);
    }

    static KnownAttacks load(OracleData data) {
        OracleData.Person target = data.people().stream().filter(p -> p.diagnosis().equals("rare")).findFirst().orElseThrow();
        int oldest = data.people().stream().mapToInt(OracleData.Person::age).max().orElseThrow();
        String product = data.people().stream().mapToInt(OracleData.Person::age).filter(a -> a != target.age()).distinct()
                .sorted().mapToObj(a -> "(age - " + a + ")").collect(java.util.stream.Collectors.joining(" * "));
        try (InputStream in = KnownAttacks.class.getResourceAsStream("/oracle/known-attacks.tsv")) {
            List<Attack> attacks = new ArrayList<>();
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] parts = line.split("\t");
                String sql = parts[2].replace("${AGE}", Integer.toString(target.age()))
                        .replace("${INCOME}", Long.toString((long) target.income()))
                        .replace("${OLDEST}", Integer.toString(oldest))
                        .replace("${PRODUCT}", product);
                attacks.add(new Attack(parts[0], Integer.parseInt(parts[1]), sql));
            }
            return new KnownAttacks(attacks);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
