package io.callpark.store;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/** The counting tables of this node, by cache name: what its status reports as cache reads and writes. */
public final class CacheCounters {

    /** Reads and writes this node asked of one cache since it started. */
    public record Counts(long reads, long writes) {
    }

    private final Map<String, CountingTable<?, ?>> tables = new ConcurrentHashMap<>();

    /** Counts what the node asks of this cache. */
    public <K, V> Table<K, V> counted(String cache, Table<K, V> table) {
        CountingTable<K, V> counting = new CountingTable<>(table);
        tables.put(cache, counting);
        return counting;
    }

    public Map<String, Counts> snapshot() {
        Map<String, Counts> counts = new TreeMap<>();
        tables.forEach((name, table) -> counts.put(name, new Counts(table.reads(), table.writes())));
        return counts;
    }
}
