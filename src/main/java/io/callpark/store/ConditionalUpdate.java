package io.callpark.store;

import org.infinispan.Cache;

import java.util.Optional;
import java.util.function.Function;

/**
 * Read-modify-write of one cache entry with compare-and-set, retried while another node wins the race.
 * This is how two nodes acting on the same parked call get exactly one winner.
 */
final class ConditionalUpdate {

    private static final int MAX_ATTEMPTS = 64;

    private ConditionalUpdate() {
    }

    /**
     * Applies {@code change} to the current value (empty when absent); an empty result removes the entry.
     *
     * @return the value written (empty if removed or unchanged-absent)
     */
    static Optional<String> apply(Cache<String, String> cache, String key,
                                  Function<Optional<String>, Optional<String>> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            String current = cache.get(key);
            Optional<String> next = change.apply(Optional.ofNullable(current));
            if (next.isPresent() && next.get().equals(current)) {
                return next;
            }
            boolean written;
            if (current == null) {
                written = next.isEmpty() || cache.putIfAbsent(key, next.get()) == null;
            } else if (next.isEmpty()) {
                written = cache.remove(key, current);
            } else {
                written = cache.replace(key, current, next.get());
            }
            if (written) {
                return next;
            }
        }
        throw new ConcurrentChangeException("cache entry " + key + " kept changing under " + MAX_ATTEMPTS + " attempts");
    }
}
