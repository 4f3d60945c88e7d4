package org.datasandbox.core.quality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Random;
import java.util.Set;
import org.datasandbox.core.SandboxException;
import org.junit.jupiter.api.Test;

class WorkingCalendarTest {
    private static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** China's National Day 2026 (Thursday 1 to Wednesday 7 October), Saturday 10 October worked in exchange. */
    private static final String CHINA_2026 = """
            # the server's zone and calendar
            zone Asia/Shanghai
            weekend SATURDAY SUNDAY
            holiday 2026-10-01 2026-10-02 2026-10-03 2026-10-04 2026-10-05 2026-10-06 2026-10-07
            holiday 2027-01-01   # New Year's Day, a Friday
            workday 2026-10-10
            """;

    private static Instant local(String dateTime) {
        return LocalDateTime.parse(dateTime).atZone(SHANGHAI).toInstant();
    }

    @Test
    void deadline_filedOnMonday_endsWithThursday() {
        Instant deadline = WorkingCalendar.standard().deadline(local("2026-11-23T10:00"), 3);
        assertThat(deadline).isEqualTo(local("2026-11-27T00:00"));
    }

    @Test
    void deadline_filedFridayAt2359_skipsTheWeekendAndEndsWithWednesday() {
        Instant deadline = WorkingCalendar.standard().deadline(local("2026-11-27T23:59"), 3);
        assertThat(deadline).isEqualTo(local("2026-12-03T00:00"));
        // one minute later it is Saturday: the weekend does not count either, so the deadline is the same
        assertThat(WorkingCalendar.standard().deadline(local("2026-11-28T00:00"), 3)).isEqualTo(deadline);
    }

    @Test
    void deadline_isInTheConfiguredZone_notUtc() {
        // Friday 23:59 in Shanghai is Friday 15:59 UTC: the same day either way, but local midnight differs
        Instant filed = local("2026-11-27T23:59");
        WorkingCalendar utc = new WorkingCalendar(ZoneOffset.UTC, EnumSet.of(DayOfWeek.SATURDAY, DayOfWeek.SUNDAY),
                Set.of(), Set.of());
        assertThat(utc.deadline(filed, 3)).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        // Saturday 00:30 in Shanghai is still Friday in UTC: there the filing day is Friday, in Shanghai Saturday
        Instant early = local("2026-11-28T00:30");
        assertThat(utc.deadline(early, 3)).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
        assertThat(WorkingCalendar.standard().deadline(early, 3)).isEqualTo(Instant.parse("2026-12-02T16:00:00Z"));
    }

    @Test
    void deadline_acrossNationalDay_skipsTheHolidaysAndCountsTheWorkedSaturday() {
        WorkingCalendar calendar = WorkingCalendar.parse(CHINA_2026);
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-10"))).isTrue();
        assertThat(calendar.isWorkingDay(LocalDate.parse("2026-10-05"))).isFalse();
        // filed Wednesday 30 September: Thursday 8, Friday 9 and Saturday 10 October
        assertThat(calendar.deadline(local("2026-09-30T09:00"), 3)).isEqualTo(local("2026-10-11T00:00"));
        // without the worked Saturday: Thursday 8, Friday 9, Monday 12
        assertThat(WorkingCalendar.parse(CHINA_2026.replace("workday 2026-10-10", "")).deadline(local("2026-09-30T09:00"), 3))
                .isEqualTo(local("2026-10-13T00:00"));
    }

    @Test
    void deadline_acrossTheYearEnd_skipsNewYearsDayAndTheWeekend() {
        WorkingCalendar calendar = WorkingCalendar.parse(CHINA_2026);
        // Thursday 31 December 2026: Friday 1 January is a holiday, then Monday 4, Tuesday 5, Wednesday 6
        assertThat(calendar.deadline(local("2026-12-31T17:00"), 3)).isEqualTo(local("2027-01-07T00:00"));
        // Friday 31 December 2027 at 23:59 (no holidays listed for 2028): Monday 3, Tuesday 4, Wednesday 5 January
        assertThat(calendar.deadline(local("2027-12-31T23:59"), 3)).isEqualTo(local("2028-01-06T00:00"));
    }

    /** Oracle: for generated filing times, the last day is a working day and exactly 3 working days lead up to it. */
    @Test
    void deadline_generatedFilings_endAfterExactlyThreeWorkingDaysAfterTheFilingDay() {
        WorkingCalendar calendar = WorkingCalendar.parse(CHINA_2026);
        Random random = new Random(12);
        for (int i = 0; i < 500; i++) {
            Instant filed = Instant.parse("2026-01-01T00:00:00Z").plusSeconds(random.nextInt(2 * 366 * 86_400));
            Instant deadline = calendar.deadline(filed, 3);
            LocalDate filedDay = filed.atZone(SHANGHAI).toLocalDate();
            LocalDate lastDay = deadline.atZone(SHANGHAI).toLocalDate().minusDays(1);
            assertThat(deadline.atZone(SHANGHAI).toLocalTime()).isEqualTo(java.time.LocalTime.MIDNIGHT);
            assertThat(calendar.isWorkingDay(lastDay)).as("%s", filed).isTrue();
            long working = filedDay.plusDays(1).datesUntil(lastDay.plusDays(1)).filter(calendar::isWorkingDay).count();
            assertThat(working).as("%s", filed).isEqualTo(3);
        }
    }

    @Test
    void parse_badLines_areRefusedWithTheLineNumber() {
        assertThatThrownBy(() -> WorkingCalendar.parse("zone Mars/Olympus")).isInstanceOf(SandboxException.class)
                .hasMessageContaining("line 1");
        assertThatThrownBy(() -> WorkingCalendar.parse("\nholiday 2026-13-01")).isInstanceOf(SandboxException.class)
                .hasMessageContaining("line 2");
        assertThatThrownBy(() -> WorkingCalendar.parse("vacation 2026-10-01")).isInstanceOf(SandboxException.class);
        assertThatThrownBy(() -> WorkingCalendar.parse("holiday 2026-10-01\nworkday 2026-10-01"))
                .hasMessageContaining("both");
    }

    @Test
    void load_missingFile_isTheStandardCalendar() throws Exception {
        WorkingCalendar calendar = WorkingCalendar.load(java.nio.file.Path.of("no-such-dir", "working-days.txt"));
        assertThat(calendar).isEqualTo(WorkingCalendar.standard());
        assertThat(calendar.zone()).isEqualTo(SHANGHAI);
    }
}
