package io.callpark.store;

import io.callpark.store.schema.Versioned;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

/**
 * Read-modify-write of one entry with compare-and-set on its version, retried while another node wins the race.
 * This is how two nodes acting on the same parked call get exactly one winner.
 */
final class ConditionalUpdate {

    private static final int MAX_ATTEMPTS = 64;

    private ConditionalUpdate() {
    }

    /**
     * Applies {@code change} to the current value (empty when absent): it returns the value to write (its version
     * is set here), empty to remove the entry, or the current value itself to leave it as it is.
     *
     * @return the value as written (or left); empty when removed or still absent
     */
    static <K, V extends Versioned<V>> Optional<V> apply(Table<K, V> table, K key,
                                                         Function<Optional<V>, Optional<V>> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            V current = table.get(key);
            Optional<V> next = change.apply(Optional.ofNullable(current));
            if (next.isPresent() && next.get() == current || next.isEmpty() && current == null) {
                return next;
            }
            if (current == null) {
                V first = next.get().withVersion(newVersion());
                if (table.putIfAbsent(key, first) == null) {
                    return Optional.of(first);
                }
            } else if (next.isEmpty()) {
                if (table.remove(key, current)) {
                    return next;
                }
            } else {
                V written = next.get().withVersion(newVersion());
                if (table.replace(key, current, written)) {
                    return Optional.of(written);
                }
            }
        }
        throw new ConcurrentChangeException("cache entry " + key + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }

    /**
     * The version a write gives its value: drawn at random, never derived from the one before. Two nodes that
     * raced from the same value then never write the same version: Infinispan retries a conditional write that
     * met a topology change (a node died) accepting the expected value or the new one, and a "new one" equal by
     * version to the other node's write would silently replace it. Nor does an entry removed and created again
     * take a version a slow writer still expects.
     */
    static long newVersion() {
        return ThreadLocalRandom.current().nextLong(1, Long.MAX_VALUE);
    }
}
