package io.callpark.event;

import io.callpark.park.ParkedCall;

import java.time.Instant;

/** Published (CDI event) after the park state changed; consumers (NOTIFY, later REST events) subscribe. */
public record ParkEvent(ParkEventType type, ParkedCall call, Instant at) {

    public static ParkEvent of(ParkEventType type, ParkedCall call) {
        return new ParkEvent(type, call, Instant.now());
    }
}
