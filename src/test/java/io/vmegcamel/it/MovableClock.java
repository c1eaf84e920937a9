package io.vmegcamel.it;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock a test moves forward by hand (bound as the bundle's vmegClock before it starts). */
final class MovableClock extends Clock {

    private volatile Duration offset = Duration.ZERO;

    void advance(Duration by) {
        offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
        return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    /** The same moving instant, told in another zone (e.g. the cost guard's UTC day). */
    @Override
    public Clock withZone(ZoneId zone) {
        MovableClock moving = this;
        return new Clock() {
            @Override
            public Instant instant() {
                return moving.instant();
            }

            @Override
            public ZoneId getZone() {
                return zone;
            }

            @Override
            public Clock withZone(ZoneId other) {
                return moving.withZone(other);
            }
        };
    }
}
