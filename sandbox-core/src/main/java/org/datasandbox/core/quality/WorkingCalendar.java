package org.datasandbox.core.quality;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.datasandbox.core.SandboxException;

/**
 * Which days are working days, in one time zone: every day but the weekend days and the holidays, plus the weekend
 * days worked in exchange for a holiday ({@code workdays}; China moves working days around its long holidays).
 *
 * <p>A deadline of N working days is the end of the Nth working day after the day of filing, the day of filing not
 * counted (however early or late in it the filing came): filed on a Friday at 23:59, 3 working days end on Wednesday
 * night (Thursday 00:00 local time).
 */
public record WorkingCalendar(ZoneId zone, Set<DayOfWeek> weekend, Set<LocalDate> holidays, Set<LocalDate> workdays) {
    public static final ZoneId DEFAULT_ZONE = ZoneId.of("Asia/Shanghai");
    /** More working days than any deadline needs: a calendar of only holidays must not loop for ever. */
    private static final int MAX_SCAN_DAYS = 3_660;

    public WorkingCalendar {
        Objects.requireNonNull(zone, "zone");
        weekend = weekend == null || weekend.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(weekend));
        holidays = holidays == null ? Set.of() : Set.copyOf(holidays);
        workdays = workdays == null ? Set.of() : Set.copyOf(workdays);
        if (weekend.size() > 6) {
            throw new IllegalArgumentException("a week has at least one working day");
        }
        for (LocalDate day : workdays) {
            if (holidays.contains(day)) {
                throw new IllegalArgumentException(day + " is both a holiday and a working day");
            }
        }
    }

    /** Asia/Shanghai, Saturday and Sunday off, no holidays. */
    public static WorkingCalendar standard() {
        return new WorkingCalendar(DEFAULT_ZONE, EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY), Set.of(), Set.of());
    }

    public boolean isWorkingDay(LocalDate day) {
        if (workdays.contains(day)) {
            return true;
        }
        return !holidays.contains(day) && !weekend.contains(day.getDayOfWeek());
    }

    /** The first instant after the Nth working day following the day (in this zone) of {@code filed}. */
    public Instant deadline(Instant filed, int workingDays) {
        if (workingDays < 1) {
            throw new IllegalArgumentException("a deadline is at least one working day");
        }
        LocalDate day = filed.atZone(zone).toLocalDate();
        int counted = 0;
        for (int scanned = 0; counted < workingDays; scanned++) {
            if (scanned > MAX_SCAN_DAYS) {
                throw new IllegalStateException("the calendar has no working day in ten years");
            }
            day = day.plusDays(1);
            if (isWorkingDay(day)) {
                counted++;
            }
        }
        return day.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The calendar of a file (see {@link #parse}), or {@link #standard()} when there is none. */
    public static WorkingCalendar load(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return standard();
        }
        return parse(Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Reads the working-day file: one statement a line, {@code #} starts a comment.
     * <pre>
     * zone Asia/Shanghai
     * weekend SATURDAY SUNDAY
     * holiday 2026-10-01 2026-10-02
     * workday 2026-10-10
     * </pre>
     * Lines left out keep the standard: Asia/Shanghai, Saturday and Sunday, no holidays.
     */
    public static WorkingCalendar parse(String text) {
        ZoneId zone = DEFAULT_ZONE;
        Set<DayOfWeek> weekend = EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY);
        Set<LocalDate> holidays = new TreeSet<>();
        Set<LocalDate> workdays = new TreeSet<>();
        int number = 0;
        for (String raw : text.split("\n", -1)) {
            number++;
            int hash = raw.indexOf('#');
            String line = (hash >= 0 ? raw.substring(0, hash) : raw).strip();
            if (line.isEmpty()) {
                continue;
            }
            String[] words = line.split("\\s+");
            try {
                switch (words[0].toLowerCase(Locale.ROOT)) {
                    case "zone" -> {
                        requireOne(words, number);
                        zone = ZoneId.of(words[1]);
                    }
                    case "weekend" -> {
                        weekend = EnumSet.noneOf(DayOfWeek.class);
                        for (int i = 1; i < words.length; i++) {
                            weekend.add(DayOfWeek.valueOf(words[i].toUpperCase(Locale.ROOT)));
                        }
                    }
                    case "holiday" -> addDates(holidays, words, number);
                    case "workday" -> addDates(workdays, words, number);
                    default -> throw SandboxException.invalid("working-day file, line " + number
                            + ": expected zone, weekend, holiday or workday");
                }
            } catch (DateTimeException | IllegalArgumentException e) {
                if (e instanceof SandboxException known) {
                    throw known;
                }
                throw SandboxException.invalid("working-day file, line " + number + ": " + e.getMessage());
            }
        }
        return new WorkingCalendar(zone, weekend, holidays, workdays);
    }

    private static void requireOne(String[] words, int number) {
        if (words.length != 2) {
            throw SandboxException.invalid("working-day file, line " + number + ": one value expected");
        }
    }

    private static void addDates(Set<LocalDate> dates, String[] words, int number) {
        if (words.length < 2) {
            throw SandboxException.invalid("working-day file, line " + number + ": at least one date (YYYY-MM-DD)");
        }
        for (int i = 1; i < words.length; i++) {
            dates.add(LocalDate.parse(words[i]));
        }
    }
}
