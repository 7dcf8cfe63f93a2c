package io.callpark.park;

/** A person in a park: SIP URI and display name (may be empty). */
public record Party(String uri, String displayName) {

    public Party {
        displayName = displayName == null ? "" : displayName;
    }
}
