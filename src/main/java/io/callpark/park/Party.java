package io.callpark.park;

/** A person in a park: SIP URI and display name (may be empty). */
public record Party(String uri, String displayName) {

    public Party {
        uri = Shared.text(uri); // a phone that parks parks many calls
        displayName = displayName == null ? "" : Shared.text(displayName);
    }
}
