package org.datasandbox.core.demodata;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.datasandbox.guard.catalog.ColumnType;
import org.datasandbox.masking.id.MobileNumber;
import org.datasandbox.masking.id.ResidentIdNumber;

/** Generates the demo {@code residents} and {@code medical_visits} tables as CSV. */
public final class HubeiDemoData {

    /** A district with its GB/T 2260 region code, city and relative population. */
    private record District(String code, String city, String name, int weight) {
    }

    private static final List<District> DISTRICTS = List.of(
            new District("420111", "武汉市", "洪山区", 170), new District("420106", "武汉市", "武昌区", 125),
            new District("420102", "武汉市", "江岸区", 95), new District("420103", "武汉市", "江汉区", 65),
            new District("420104", "武汉市", "硚口区", 65), new District("420105", "武汉市", "汉阳区", 80),
            new District("420107", "武汉市", "青山区", 50), new District("420112", "武汉市", "东西湖区", 60),
            new District("420115", "武汉市", "江夏区", 95), new District("420116", "武汉市", "黄陂区", 110),
            new District("420117", "武汉市", "新洲区", 80), new District("420114", "武汉市", "蔡甸区", 55),
            new District("420113", "武汉市", "汉南区", 15), new District("420502", "宜昌市", "西陵区", 25),
            new District("420602", "襄阳市", "襄城区", 20), new District("420802", "荆州市", "沙市区", 20),
            new District("420202", "黄石市", "黄石港区", 10), new District("420302", "十堰市", "茅箭区", 10),
            new District("429021", "", "神农架林区", 2));

    private static final String[] SURNAMES = {"王", "李", "张", "刘", "陈", "杨", "黄", "赵", "吴", "周", "徐", "孙",
        "马", "朱", "胡", "郭", "何", "高", "林", "罗", "郑", "梁", "谢", "宋", "唐", "许", "韩", "冯", "邓", "曹", "欧阳", "诸葛"};
    private static final String GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红玉兰文辉鹏飞思雨浩然子涵欣怡宇轩梓萱";
    private static final String[] STREETS = {"解放大道", "中山大道", "珞喻路", "武珞路", "建设大道", "发展大道",
        "民主路", "人民路", "和平大道", "友谊大道", "光谷大道", "汉阳大道", "沿江大道", "雄楚大道"};
    private static final String[] PREFIXES = MobileNumber.CARRIER_PREFIXES.stream().sorted().toArray(String[]::new);

    /** A diagnosis with its ICD-10 code and relative frequency; the rare ones make small groups. */
    private record Diagnosis(String name, String icd10, int weight) {
    }

    private static final List<Diagnosis> DIAGNOSES = List.of(
            new Diagnosis("无", "Z00", 420), new Diagnosis("高血压", "I10", 180), new Diagnosis("2型糖尿病", "E11", 110),
            new Diagnosis("冠心病", "I25", 60), new Diagnosis("慢性阻塞性肺病", "J44", 40), new Diagnosis("哮喘", "J45", 35),
            new Diagnosis("慢性胃炎", "K29", 70), new Diagnosis("腰椎间盘突出", "M51", 60), new Diagnosis("抑郁症", "F32", 20),
            new Diagnosis("肺结核", "A15", 3), new Diagnosis("系统性红斑狼疮", "M32", 2));
    private static final String[] HOSPITALS = {"华中科技大学同济医学院附属协和医院", "华中科技大学同济医学院附属同济医院",
        "武汉大学人民医院", "武汉大学中南医院", "武汉市中心医院", "湖北省中医院", "武汉市第一医院", "宜昌市中心人民医院"};
    private static final String[] ACUTE_ICD10 = {"J06", "K52", "R51", "S93", "H10"};

    /** Declared types of the residents CSV: identifiers stay strings even when they look like numbers. */
    public static final Map<String, ColumnType> RESIDENT_TYPES = Map.of(
            "person_id", ColumnType.BIGINT, "id_card", ColumnType.STRING, "name", ColumnType.STRING,
            "phone", ColumnType.STRING, "gender", ColumnType.STRING, "birth_date", ColumnType.DATE,
            "district", ColumnType.STRING, "address", ColumnType.STRING, "income", ColumnType.DOUBLE,
            "diagnosis", ColumnType.STRING);
    public static final Map<String, ColumnType> VISIT_TYPES = Map.of(
            "visit_id", ColumnType.STRING, "person_id", ColumnType.BIGINT, "hospital", ColumnType.STRING,
            "visit_date", ColumnType.DATE, "icd10", ColumnType.STRING, "cost", ColumnType.DOUBLE);

    private static final LocalDate REFERENCE = LocalDate.of(2025, 1, 1);

    private HubeiDemoData() {
    }

    /** Both tables, generated together so that every visit belongs to a resident. */
    public record Tables(List<String[]> residents, List<String[]> visits) {
        public static final String[] RESIDENT_HEADER = {"person_id", "id_card", "name", "phone", "gender",
            "birth_date", "district", "address", "income", "diagnosis"};
        public static final String[] VISIT_HEADER = {"visit_id", "person_id", "hospital", "visit_date", "icd10", "cost"};

        public byte[] residentsCsv() {
            return csv(RESIDENT_HEADER, residents);
        }

        public byte[] visitsCsv() {
            return csv(VISIT_HEADER, visits);
        }

        public void write(Path dir) throws IOException {
            Files.createDirectories(dir);
            Files.write(dir.resolve("residents.csv"), residentsCsv());
            Files.write(dir.resolve("medical_visits.csv"), visitsCsv());
        }
    }

    public static Tables generate(int residents, long seed) {
        if (residents < 1) {
            throw new IllegalArgumentException("rows must be >= 1. Provided value: " + residents);
        }
        SplittableRandom random = new SplittableRandom(seed);
        List<String[]> people = new ArrayList<>(residents);
        List<String[]> visits = new ArrayList<>();
        int totalWeight = DISTRICTS.stream().mapToInt(District::weight).sum();
        int diagnosisWeight = DIAGNOSES.stream().mapToInt(Diagnosis::weight).sum();
        for (int i = 1; i <= residents; i++) {
            District district = pick(DISTRICTS, District::weight, totalWeight, random);
            boolean male = random.nextBoolean();
            LocalDate birth = REFERENCE.minusDays(random.nextLong(0, 95L * 365));
            String idCard = ResidentIdNumber.of(district.code(), birth, random.nextInt(0, 500) * 2 + (male ? 1 : 0));
            Diagnosis diagnosis = pick(DIAGNOSES, Diagnosis::weight, diagnosisWeight, random);
            int age = REFERENCE.getYear() - birth.getYear();
            double income = age < 18 ? 0 : Math.min(1_000_000, Math.round(Math.exp(10.9 + 0.55 * random.nextGaussian())));
            people.add(new String[] {Long.toString(i), idCard, name(random), phone(random), male ? "男" : "女",
                birth.toString(), district.name(), address(district, random), Double.toString(income), diagnosis.name()});
            int visitCount = random.nextInt(0, diagnosis.icd10().equals("Z00") ? 3 : 6);
            for (int v = 0; v < visitCount; v++) {
                String icd10 = random.nextInt(3) == 0 ? ACUTE_ICD10[random.nextInt(ACUTE_ICD10.length)] : diagnosis.icd10();
                LocalDate date = LocalDate.of(2023, 1, 1).plusDays(random.nextInt(0, 3 * 365));
                double cost = Math.min(100_000, Math.round(Math.exp(5.5 + random.nextDouble() * 3) * 100) / 100.0);
                visits.add(new String[] {String.format("V%08d", visits.size() + 1), Long.toString(i),
                    HOSPITALS[random.nextInt(HOSPITALS.length)], date.toString(), icd10, Double.toString(cost)});
            }
        }
        return new Tables(people, visits);
    }

    private static <T> T pick(List<T> items, java.util.function.ToIntFunction<T> weight, int total, SplittableRandom random) {
        int r = random.nextInt(total);
        for (T item : items) {
            r -= weight.applyAsInt(item);
            if (r < 0) {
                return item;
            }
        }
        return items.get(items.size() - 1);
    }

    private static String name(SplittableRandom random) {
        StringBuilder name = new StringBuilder(SURNAMES[random.nextInt(SURNAMES.length)]);
        int given = random.nextInt(4) == 0 ? 1 : 2;
        for (int g = 0; g < given; g++) {
            name.append(GIVEN.charAt(random.nextInt(GIVEN.length())));
        }
        return name.toString();
    }

    private static String phone(SplittableRandom random) {
        return PREFIXES[random.nextInt(PREFIXES.length)] + String.format("%08d", random.nextInt(100_000_000));
    }

    private static String address(District district, SplittableRandom random) {
        return "湖北省" + district.city() + district.name() + STREETS[random.nextInt(STREETS.length)]
                + (random.nextInt(1, 999)) + "号";
    }

    private static byte[] csv(String[] header, List<String[]> rows) {
        StringBuilder out = new StringBuilder(rows.size() * 96);
        appendRow(out, header);
        rows.forEach(row -> appendRow(out, row));
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendRow(StringBuilder out, String[] row) {
        for (int i = 0; i < row.length; i++) {
            if (i > 0) {
                out.append(',');
            }
            String value = row[i];
            boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0;
            out.append(quote ? '"' + value.replace("\"", "\"\"") + '"' : value);
        }
        out.append('\n');
    }
}
