package io.callpark.store;

import org.infinispan.Cache;
import org.infinispan.context.Flag;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryModified;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryRemoved;
import org.infinispan.notifications.cachelistener.event.CacheEntryEvent;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * A {@link Table} on a replicated Infinispan cache. Memory holds every entry (the file stores are preloaded at
 * start and nothing is evicted): a miss is a real miss, so no operation reads the store, where it would wait
 * behind the store's writes.
 */
public final class InfinispanTable<K, V> implements Table<K, V> {

    private final Cache<K, V> cache;
    private final Cache<K, V> noReturnValues;

    /**
     * @param cache resolved once, on a thread that has the deployment's class loader: WildFly picks the entry
     *              encoding from the calling thread's context class loader when the cache is looked up
     */
    public InfinispanTable(Cache<K, V> cache) {
        this.cache = cache.getAdvancedCache().withFlags(Flag.SKIP_CACHE_LOAD);
        this.noReturnValues = this.cache.getAdvancedCache().withFlags(Flag.IGNORE_RETURN_VALUES);
    }

    @Override
    public V get(K key) {
        return cache.get(key);
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return cache.putIfAbsent(key, value);
    }

    @Override
    public boolean replace(K key, V expected, V next) {
        return cache.replace(key, expected, next);
    }

    @Override
    public void put(K key, V value) {
        noReturnValues.put(key, value);
    }

    @Override
    public void putAllAsync(Map<K, V> entries) {
        noReturnValues.putAllAsync(entries);
    }

    @Override
    public V remove(K key) {
        return cache.remove(key);
    }

    @Override
    public boolean remove(K key, V expected) {
        return cache.remove(key, expected);
    }

    @Override
    public Collection<V> values() {
        return new ArrayList<>(cache.values());
    }

    @Override
    public Collection<K> keys() {
        return new ArrayList<>(cache.keySet());
    }

    @Override
    public AutoCloseable watch(BiConsumer<K, V> listener) {
        Watch<K, V> watch = new Watch<>(listener);
        cache.addListener(watch);
        return () -> cache.removeListener(watch); // the cache container outlives a deployment
    }

    /**
     * Infinispan calls it on every node that applies a write, after the write, on a thread of its notification
     * executor. Not on the applying thread (a synchronous listener): on the other nodes that thread applies the
     * replicated write, and its acknowledgement would wait for the listener (one bench run each: two nodes passed
     * 60 park cycles/s with a synchronous one, 100/s without).
     */
    @Listener(sync = false, observation = Listener.Observation.POST)
    public static final class Watch<K, V> {

        private final BiConsumer<K, V> listener;

        Watch(BiConsumer<K, V> listener) {
            this.listener = listener;
        }

        @CacheEntryCreated
        @CacheEntryModified
        @CacheEntryRemoved
        public void changed(CacheEntryEvent<K, V> event) {
            listener.accept(event.getKey(), event.getValue());
        }
    }
}
