package io.callpark.store;

import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * One replicated cache as the stores use it: a map whose conditional writes are atomic across the cluster.
 * {@link InfinispanTable} is the real one; tests run the stores on an in-memory one.
 */
public interface Table<K, V> {

    /** The value, or null. */
    V get(K key);

    /** Stores the value unless the key has one; returns the value it has, or null when this one was stored. */
    V putIfAbsent(K key, V value);

    /** Replaces {@code expected} (compared as {@link Object#equals}: by version for versioned values). */
    boolean replace(K key, V expected, V next);

    void put(K key, V value);

    /** Stores the entries in one request, without waiting for the other nodes. */
    void putAllAsync(Map<K, V> entries);

    /** Removes the key's value; returns it, or null. */
    V remove(K key);

    /** Removes {@code expected} if it is still the key's value. */
    boolean remove(K key, V expected);

    /** Every value, from this node's copy: for operator views and start-up, never for a call's request. */
    Collection<V> values();

    /** Every key, from this node's copy: for start-up only. */
    Collection<K> keys();

    /**
     * Tells {@code listener} of every key whose value was created, changed or removed, on any node, after the write
     * (asynchronously, on a thread of the cache's). The returned handle stops it.
     */
    AutoCloseable watch(BiConsumer<K, V> listener);
}
