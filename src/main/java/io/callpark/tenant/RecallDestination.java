package io.callpark.tenant;

import java.util.Arrays;
import java.util.Optional;

/** Who rings when a parked call is not retrieved in time. */
public enum RecallDestination {
    PARKER("parker"),
    PARKER_THEN_RING_GROUP("parker-then-ring-group"),
    RING_GROUP("ring-group");

    private final String json;

    RecallDestination(String json) {
        this.json = json;
    }

    /** The name used in the REST API and the stored settings. */
    public String json() {
        return json;
    }

    public static Optional<RecallDestination> fromJson(String name) {
        return Arrays.stream(values()).filter(d -> d.json.equals(name)).findFirst();
    }

    public static String allowed() {
        return String.join(", ", Arrays.stream(values()).map(RecallDestination::json).toList());
    }
}
