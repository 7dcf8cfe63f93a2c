package io.callpark.store;

import org.infinispan.Cache;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The park events of the last minutes, per tenant, in the replicated {@code events} cache (bounded in count and
 * lifespan by the cache configuration): every node's event streams see the events of every node, and a client
 * that reconnects with the last id it saw gets what it missed. Ids sort by time, then node, then the node's own
 * sequence: exactly in the order of each node.
 */
public final class EventJournal {

    /** One published event: its id, tenant and API JSON. */
    public record Entry(String id, String tenant, String json) {
    }

    private final Cache<String, String> events;
    private final String node;
    private final AtomicLong sequence = new AtomicLong();

    public EventJournal(Cache<String, String> events, String node) {
        this.events = events;
        this.node = node;
    }

    /** Stores the event without waiting for the other nodes; {@code render} turns the new id into the JSON. */
    public Entry append(String tenant, Function<String, String> render) {
        String id = String.format("%013d-%s-%012d", System.currentTimeMillis(), node, sequence.incrementAndGet());
        Entry entry = new Entry(id, tenant, render.apply(id));
        events.putAsync(key(tenant, id), entry.json());
        return entry;
    }

    /**
     * The tenant's events after {@code lastId}: those whose id sorts after it (time first; the nodes' clocks are
     * assumed in step to well under a second), oldest first.
     */
    public List<Entry> after(String tenant, String lastId) {
        return PrefixScan.of(events, tenant + "/").stream()
                .map(e -> decode(e.getKey(), e.getValue()).orElseThrow())
                .filter(e -> e.id().compareTo(lastId) > 0)
                .sorted(Comparator.comparing(Entry::id))
                .toList();
    }

    private static String key(String tenant, String id) {
        return tenant + "/" + id;
    }

    /** The entry a cache key and value stand for. */
    public static Optional<Entry> decode(String key, String json) {
        int slash = key.indexOf('/'); // a domain has no slash
        if (slash < 1 || json == null) {
            return Optional.empty();
        }
        return Optional.of(new Entry(key.substring(slash + 1), key.substring(0, slash), json));
    }
}
