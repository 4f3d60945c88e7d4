package org.datasandbox.core.oracle;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * A tiny generated population of linked tables, built like the demo's residents and medical visits:
 * {@code people} (one row per person) and {@code visits} and {@code labs} (several rows per person, some
 * people have none). Values have long tails and a few unique ones (a rare diagnosis, extreme ages and
 * incomes, one visit coded Z99, one lab test "zinc") so that one person can be singled out if a query lets
 * them.
 */
record OracleData(List<Person> people, List<Visit> visits, List<Lab> labs) {

    static final List<String> DISTRICTS = List.of("north", "south", "east");
    static final List<String> DIAGNOSES = List.of("flu", "diabetes", "asthma", "healthy", "rare");
    static final List<String> HOSPITALS = List.of("central", "union", "river");
    static final List<String> ICD10 = List.of("J10", "E11", "J45", "I10");
    static final List<String> TESTS = List.of("glucose", "iron", "lipids");
    static final List<String> SURNAMES = List.of("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao");

    record Person(long pid, String name, String phone, String gender, String district, int age, LocalDate birthDate,
                  double income, String diagnosis) {
    }

    record Visit(String visitId, long pid, String hospital, LocalDate visitDate, String icd10, double cost) {
    }

    record Lab(long pid, String test, double result, int flag) {
    }

    OracleData {
        people = List.copyOf(people);
        visits = List.copyOf(visits);
        labs = List.copyOf(labs);
    }

    /** The population for a seed: {@code size} people, 0 to 4 visits and 0 to 2 lab results each. */
    static OracleData generate(int size, long seed) {
        Random random = new Random(seed);
        List<Person> people = new ArrayList<>();
        List<Visit> visits = new ArrayList<>();
        List<Lab> labs = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            long pid = 1000 + i;
            int age = 18 + random.nextInt(72);
            double income = random.nextInt(6) == 0 ? 0 : Math.round(Math.exp(9 + 1.2 * random.nextGaussian()));
            String diagnosis = i == size / 2 ? "rare" : DIAGNOSES.get(random.nextInt(DIAGNOSES.size() - 1));
            people.add(new Person(pid, SURNAMES.get(random.nextInt(SURNAMES.size())) + " " + (char) ('A' + i % 26) + i,
                    "138" + String.format("%08d", random.nextInt(100_000_000)),
                    random.nextBoolean() ? "F" : "M",
                    DISTRICTS.get(random.nextInt(10) < 5 ? 0 : random.nextInt(DISTRICTS.size())),
                    age, LocalDate.of(2026 - age, 1 + random.nextInt(12), 1 + random.nextInt(28)),
                    Math.min(income, 1_000_000), diagnosis));
            int count = i == size / 3 ? 2 : random.nextInt(5);
            for (int v = 0; v < count; v++) {
                visits.add(new Visit("V" + pid + "-" + v, pid, HOSPITALS.get(random.nextInt(HOSPITALS.size())),
                        LocalDate.of(2025, 1 + random.nextInt(12), 1 + random.nextInt(28)),
                        i == size / 3 && v == 0 ? "Z99" : ICD10.get(random.nextInt(ICD10.size())), 50 + random.nextInt(4950)));
            }
            int tests = i == size / 4 ? 1 : random.nextInt(3);
            for (int t = 0; t < tests; t++) {
                labs.add(new Lab(pid, i == size / 4 && t == 0 ? "zinc" : TESTS.get(random.nextInt(TESTS.size())), Math.round(random.nextDouble() * 100) / 10.0,
                        random.nextInt(3)));
            }
        }
        return new OracleData(people, visits, labs);
    }

    /** The neighbour without one person: their row and every linked row are gone. */
    OracleData without(long pid) {
        return new OracleData(people.stream().filter(p -> p.pid() != pid).toList(),
                visits.stream().filter(v -> v.pid() != pid).toList(),
                labs.stream().filter(l -> l.pid() != pid).toList());
    }

    /**
     * The neighbour where one person's measures are changed by a small step (income, cost, lab result):
     * a contributor whose value is 0 then moves a sum, and an extreme moves only for its holder. Other
     * columns stay: a changed dimension or condition would make anyone who could satisfy it a mover,
     * which hides a cell that only one person actually fills; removals cover who actually contributes.
     */
    OracleData changed(long pid) {
        int step = 1 + (int) (pid % 7);
        return new OracleData(people.stream().map(p -> p.pid() != pid ? p : new Person(pid, p.name(), p.phone(),
                        p.gender(), p.district(), p.age(), p.birthDate(), p.income() + step, p.diagnosis())).toList(),
                visits.stream().map(v -> v.pid() != pid ? v : new Visit(v.visitId(), pid, v.hospital(), v.visitDate(),
                        v.icd10(), v.cost() + step)).toList(),
                labs.stream().map(l -> l.pid() != pid ? l : new Lab(pid, l.test(), l.result() + step / 10.0, l.flag()))
                        .toList());
    }
}
