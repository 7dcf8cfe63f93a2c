package io.callpark.store;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

/**
 * A {@link Table} that counts what it asks of its cache: writes (every attempt, won or lost: each is a round trip
 * to the primary owner and, when it wins, a replication to every node) and reads. The operator's status shows the
 * counts; the benchmark divides them by the operations it ran (docs/benchmarks.md, cost of a call).
 */
public final class CountingTable<K, V> implements Table<K, V> {

    private final Table<K, V> table;
    private final LongAdder writes = new LongAdder();
    private final LongAdder reads = new LongAdder();

    public CountingTable(Table<K, V> table) {
        this.table = table;
    }

    public long writes() {
        return writes.sum();
    }

    public long reads() {
        return reads.sum();
    }

    @Override
    public V get(K key) {
        reads.increment();
        return table.get(key);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        writes.increment();
        return table.putIfAbsent(key, value);
    }

    @Override
    public boolean replace(K key, V expected, V next) {
        writes.increment();
        return table.replace(key, expected, next);
    }

    @Override
    public void put(K key, V value) {
        writes.increment();
        table.put(key, value);
    }

    @Override
    public void putAllAsync(Map<K, V> entries) {
        writes.increment();
        table.putAllAsync(entries);
    }

    @Override
    public V remove(K key) {
        writes.increment();
        return table.remove(key);
    }

    @Override
    public boolean remove(K key, V expected) {
        writes.increment();
        return table.remove(key, expected);
    }

    @Override
    public Collection<V> values() {
        return table.values();
    }

    @Override
    public Collection<K> keys() {
        return table.keys();
    }

    @Override
    public AutoCloseable watch(BiConsumer<K, V> listener) {
        return table.watch(listener);
    }
}
