package io.callpark.park;

import java.util.Optional;

/** What a dialled feature code asks for. */
public sealed interface FeatureRequest {

    /** *68 (at the parker's own extension) or *68ext. */
    record Park(Optional<String> extension) implements FeatureRequest {
    }

    /** *88 (own extension), *88ext, or *88*parkId (one exact call). */
    record Retrieve(Optional<String> extension, Optional<String> parkId) implements FeatureRequest {
    }

    /** *58: park against the parker's park group. */
    record GroupPark() implements FeatureRequest {
    }

    /** A feature prefix with something after it that is not an extension or park id. */
    record Malformed(String why) implements FeatureRequest {
    }
}
