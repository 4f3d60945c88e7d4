package org.datasandbox.sample.synthetic;

import java.time.LocalDate;
import java.util.SplittableRandom;
import org.datasandbox.masking.id.BankCardNumber;
import org.datasandbox.masking.id.MobileNumber;
import org.datasandbox.masking.id.ResidentIdNumber;
import org.datasandbox.masking.id.SocialCreditCode;
import org.datasandbox.sample.SampleColumn;

/**
 * Identifiers made up from nothing but the column's format, so that programs written on a synthetic
 * sample parse them like real ones: valid check digits, carrier prefixes, plate letters. None is drawn
 * from the data; any resemblance to a real person's number is chance.
 */
final class FakeIdentifiers {
    private static final String[] PREFIXES = MobileNumber.CARRIER_PREFIXES.stream().sorted().toArray(String[]::new);
    // county-level region codes of GB/T 2260, a public list
    private static final String[] REGIONS = {"110101", "120101", "310101", "320102", "330102", "370102", "420102",
        "420103", "420106", "420111", "430102", "440103", "500101", "510104", "610102"};
    private static final String SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗";
    private static final String GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超霞平刚华建国红玉文辉鹏飞雨浩然涵欣怡宇轩";
    private static final String[] STREETS = {"解放大道", "中山大道", "建设大道", "发展大道", "人民路", "和平路", "新华路"};
    private static final String PLATE_CHARACTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789";
    private static final long FIRST_BIRTH = LocalDate.of(1940, 1, 1).toEpochDay();
    private static final long LAST_BIRTH = LocalDate.of(2008, 12, 31).toEpochDay();

    private FakeIdentifiers() {
    }

    /**
     * A value of {@code column}'s format for the row numbered {@code index} (unique where the format
     * allows); ID numbers encode {@code birth} when the row has one in their range, like real ones.
     */
    static Object value(SampleColumn column, long index, LocalDate birth, SplittableRandom random) {
        switch (column.type()) {
            case INTEGER:
                return (int) Math.min(Integer.MAX_VALUE, index + 1);
            case LONG:
                return index + 1;
            case STRING:
                break;
            default:
                return null;
        }
        return switch (column.format()) {
            case "resident_id", "resident_id_token" -> ResidentIdNumber.of(REGIONS[random.nextInt(REGIONS.length)],
                    birth != null && birth.getYear() >= 1800 && birth.getYear() <= 9999 ? birth
                            : LocalDate.ofEpochDay(random.nextLong(FIRST_BIRTH, LAST_BIRTH + 1)), random.nextInt(1000));
            case "mobile" -> PREFIXES[random.nextInt(PREFIXES.length)] + digits(8, random);
            case "chinese_name" -> name(random);
            case "bank_card" -> {
                String body = "62" + digits(14, random);
                yield body + BankCardNumber.checkDigit(body);
            }
            case "social_credit_code" -> {
                StringBuilder body = new StringBuilder("91").append(REGIONS[random.nextInt(REGIONS.length)]);
                for (int i = 0; i < 9; i++) {
                    body.append(SocialCreditCode.ALPHABET.charAt(random.nextInt(SocialCreditCode.ALPHABET.length())));
                }
                yield body.toString() + SocialCreditCode.checkCharacter(body.toString());
            }
            case "email" -> "user" + (index + 1) + "@example.com";
            case "licence_plate" -> {
                StringBuilder plate = new StringBuilder("鄂").append((char) ('A' + random.nextInt(8)));
                for (int i = 0; i < 5; i++) {
                    plate.append(PLATE_CHARACTERS.charAt(random.nextInt(PLATE_CHARACTERS.length())));
                }
                yield plate.toString();
            }
            case "address" -> STREETS[random.nextInt(STREETS.length)] + (1 + random.nextInt(400)) + "号";
            default -> padded("SYN", index + 1);
        };
    }

    /** {@code prefix} and nine digits, zero-padded: identifiers that sort like numbers. */
    static String padded(String prefix, long number) {
        String digits = Long.toString(number);
        return prefix + "0".repeat(Math.max(0, 9 - digits.length())) + digits;
    }

    private static String name(SplittableRandom random) {
        StringBuilder name = new StringBuilder().append(SURNAMES.charAt(random.nextInt(SURNAMES.length())));
        int given = 1 + random.nextInt(2);
        for (int i = 0; i < given; i++) {
            name.append(GIVEN.charAt(random.nextInt(GIVEN.length())));
        }
        return name.toString();
    }

    private static String digits(int count, SplittableRandom random) {
        StringBuilder digits = new StringBuilder(count);
        for (int i = 0; i < count; i++) {
            digits.append((char) ('0' + random.nextInt(10)));
        }
        return digits.toString();
    }
}
