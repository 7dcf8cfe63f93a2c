package io.callpark.notify;

import io.callpark.store.WatcherStore.Slot;

import java.util.Optional;

/**
 * The user part of the Contact a node gives a BLF subscription: {@code watch/<tenant>/<slot>}. The watcher's
 * refreshes carry it back in their Request-URI, so whichever node they reach finds the subscription's slot without
 * a second index ('/' is a user character in RFC 3261 and is in no tenant or slot name).
 */
final class WatchContact {

    private static final String PREFIX = "watch/";

    private WatchContact() {
    }

    static String user(Slot slot) {
        return PREFIX + slot.tenant() + "/" + slot.slot();
    }

    static Optional<Slot> slot(String user) {
        if (user == null || !user.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = user.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new Slot(parts[0], parts[1]));
    }
}
