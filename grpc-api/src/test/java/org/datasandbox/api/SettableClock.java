package org.datasandbox.api;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A hand-written clock fake: the system clock, moved forward by an offset a test sets and resets. */
final class SettableClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
        offset = offset.plus(by);
    }

    void reset() {
        offset = Duration.ZERO;
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        return this; // terms are reckoned in UTC days only
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }
}
