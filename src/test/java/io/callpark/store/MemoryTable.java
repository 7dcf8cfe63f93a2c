package io.callpark.store;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

/**
 * A {@link Table} in memory, for tests: conditional writes compare with {@code equals} as the replicated cache
 * does, listeners hear each write at once, and full scans are counted.
 */
public class MemoryTable<K, V> implements Table<K, V> {

    private final Map<K, V> entries = new ConcurrentHashMap<>();
    private final List<BiConsumer<K, V>> listeners = new CopyOnWriteArrayList<>();
    public final AtomicInteger scans = new AtomicInteger();
    public final AtomicInteger writes = new AtomicInteger();

    @Override
    public V get(K key) {
        return entries.get(key);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        V before = entries.putIfAbsent(key, value);
        if (before == null) {
            changed(key, value);
        }
        return before;
    }

    @Override
    public boolean replace(K key, V expected, V next) {
        boolean replaced = entries.replace(key, expected, next);
        if (replaced) {
            changed(key, next);
        }
        return replaced;
    }

    @Override
    public void put(K key, V value) {
        entries.put(key, value);
        changed(key, value);
    }

    @Override
    public void putAllAsync(Map<K, V> entries) {
        entries.forEach(this::put);
    }

    @Override
    public V remove(K key) {
        V removed = entries.remove(key);
        if (removed != null) {
            changed(key, null);
        }
        return removed;
    }

    @Override
    public boolean remove(K key, V expected) {
        boolean removed = entries.remove(key, expected);
        if (removed) {
            changed(key, null);
        }
        return removed;
    }

    @Override
    public Collection<V> values() {
        scans.incrementAndGet();
        return new ArrayList<>(entries.values());
    }

    @Override
    public Collection<K> keys() {
        scans.incrementAndGet();
        return new ArrayList<>(entries.keySet());
    }

    @Override
    public AutoCloseable watch(BiConsumer<K, V> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    private void changed(K key, V value) {
        writes.incrementAndGet();
        listeners.forEach(l -> l.accept(key, value));
    }
}
