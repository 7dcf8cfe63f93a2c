package io.callpark.store;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * A {@link MemoryTable} whose writes fail when a test says so, as a replicated cache's do (a lock or replication
 * timeout, a node leaving): the write is either not made, or made and its success never heard ({@code applied}).
 */
public final class FailingTable<K, V> extends MemoryTable<K, V> {

    /** What the store throws: a runtime exception, as Infinispan's timeouts are. */
    public static final class InjectedFailure extends RuntimeException {
        InjectedFailure(String message) {
            super(message);
        }
    }

    private final AtomicInteger skip = new AtomicInteger(-1);
    private volatile int failures;
    private volatile boolean applied;
    public final AtomicInteger failed = new AtomicInteger();

    /**
     * Lets {@code skip} more writes through, then fails the next {@code count}.
     *
     * @param applied whether each failing write is made before the failure is thrown
     */
    public void failWrites(int skip, int count, boolean applied) {
        this.applied = applied;
        this.failures = count;
        this.skip.set(skip);
    }

    private <T> T write(Supplier<T> op) {
        if (skip.get() >= 0 && skip.getAndDecrement() == 0) {
            if (failures > 1) {
                failures--;
                skip.set(0);
            }
            failed.incrementAndGet();
            if (applied) {
                op.get();
            }
            throw new InjectedFailure("injected store failure (write " + (applied ? "made" : "not made") + ")");
        }
        return op.get();
    }

    @Override
    public V putIfAbsent(K key, V value) {
        return write(() -> super.putIfAbsent(key, value));
    }

    @Override
    public boolean replace(K key, V expected, V next) {
        return write(() -> super.replace(key, expected, next));
    }

    @Override
    public void put(K key, V value) {
        write(() -> {
            super.put(key, value);
            return null;
        });
    }

    @Override
    public void putAllAsync(Map<K, V> entries) {
        write(() -> {
            super.putAllAsync(entries);
            return null;
        });
    }

    @Override
    public V remove(K key) {
        return write(() -> super.remove(key));
    }

    @Override
    public boolean remove(K key, V expected) {
        return write(() -> super.remove(key, expected));
    }
}
