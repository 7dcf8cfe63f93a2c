package io.callpark.store;

import io.callpark.store.schema.EventKey;
import io.callpark.store.schema.JournalEntry;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The park events of the last minutes in the replicated {@code park-events} cache (bounded in count and lifespan
 * by its configuration): every node hears every event, hands it to its subscribers (the API's event streams) and
 * keeps its own per-tenant index of them, so a client that reconnects with the last id it saw gets what it missed
 * without a scan. Ids sort by time, then node, then the node's own sequence: exactly in the order of each node.
 * <p>
 * A node writes its events of the same few milliseconds together, in one request: a replicated write costs a round
 * trip and its messages whatever it carries, and at hundreds of parks a second one write per event was a third of
 * what the nodes sent each other.
 */
public final class EventJournal {

    /** One published event: its id, tenant and API JSON. */
    public record Entry(String id, String tenant, String json) {
    }

    /** How long this node remembers an event for catch-up: the cache's lifespan. */
    static final long RETENTION_MS = 600_000;
    /** Most events remembered per tenant. */
    static final int MAX_PER_TENANT = 5_000;
    /** How long an event waits for others to be written with: what it adds to an event stream's delay. */
    static final long BATCH_MS = 10;
    /** Most events in one write. */
    static final int MAX_BATCH = 200;
    private static final Logger LOG = Logger.getLogger(EventJournal.class.getName());

    private final Table<EventKey, JournalEntry> events;
    private final String node;
    private final AtomicLong sequence = new AtomicLong();
    private final Map<String, NavigableMap<String, Entry>> byTenant = new ConcurrentHashMap<>();
    private final List<Consumer<Entry>> subscribers = new CopyOnWriteArrayList<>();
    private final AutoCloseable watch;
    private final ScheduledExecutorService timers;
    /** Events not written yet, in the order they were published; guarded by itself. */
    private final Map<EventKey, JournalEntry> unwritten = new LinkedHashMap<>();
    private boolean closed;

    public EventJournal(Table<EventKey, JournalEntry> events, String node, ScheduledExecutorService timers) {
        this.events = events;
        this.node = node;
        this.timers = timers;
        this.watch = events.watch(this::heard);
        for (JournalEntry entry : events.values()) {
            remember(new Entry(entry.id(), entry.tenant(), entry.json()));
        }
    }

    /**
     * Stores the event, with the others of the next {@value #BATCH_MS} ms, without waiting for the other nodes;
     * {@code render} turns the new id into the JSON.
     */
    public Entry append(String tenant, Function<String, String> render) {
        String id = String.format("%013d-%s-%012d", System.currentTimeMillis(), node, sequence.incrementAndGet());
        Entry entry = new Entry(id, tenant, render.apply(id));
        boolean writeNow;
        synchronized (unwritten) {
            unwritten.put(new EventKey(tenant, id), new JournalEntry(id, tenant, entry.json()));
            writeNow = closed || unwritten.size() >= MAX_BATCH;
            if (!writeNow && unwritten.size() == 1) {
                timers.schedule(this::write, BATCH_MS, TimeUnit.MILLISECONDS);
            }
        }
        if (writeNow) {
            write();
        }
        return entry;
    }

    /** Writes the events published since the last write, in one request. */
    private void write() {
        Map<EventKey, JournalEntry> batch;
        synchronized (unwritten) {
            if (unwritten.isEmpty()) {
                return;
            }
            batch = new LinkedHashMap<>(unwritten);
            unwritten.clear();
        }
        try {
            events.putAllAsync(batch);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, batch.size() + " park events not stored for event streams", e);
        }
    }

    /** Every event that enters the journal from now on, on whichever node it was published. */
    public void subscribe(Consumer<Entry> subscriber) {
        subscribers.add(subscriber);
    }

    /**
     * The tenant's events after {@code lastId}: those whose id sorts after it (time first; the nodes' clocks are
     * assumed in step to well under a second), oldest first.
     */
    public List<Entry> after(String tenant, String lastId) {
        NavigableMap<String, Entry> known = byTenant.get(tenant);
        return known == null ? List.of() : new ArrayList<>(known.tailMap(lastId, false).values());
    }

    /** Writes what is left and stops hearing the cache; events published after this are written at once. */
    public void close() throws Exception {
        synchronized (unwritten) {
            closed = true;
        }
        write();
        watch.close();
    }

    private void heard(EventKey key, JournalEntry value) {
        if (value == null) {
            NavigableMap<String, Entry> known = byTenant.get(key.tenant());
            if (known != null) {
                known.remove(key.id());
            }
            return;
        }
        Entry entry = new Entry(value.id(), value.tenant(), value.json());
        if (!remember(entry)) {
            return;
        }
        for (Consumer<Entry> subscriber : subscribers) {
            try {
                subscriber.accept(entry);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "tenant " + entry.tenant() + ": event " + entry.id() + " not passed on", e);
            }
        }
    }

    /** False when it was known already. */
    private boolean remember(Entry entry) {
        NavigableMap<String, Entry> known = byTenant.computeIfAbsent(entry.tenant(),
                t -> new ConcurrentSkipListMap<>());
        if (known.putIfAbsent(entry.id(), entry) != null) {
            return false;
        }
        String oldest = String.format("%013d", System.currentTimeMillis() - RETENTION_MS);
        known.headMap(oldest).clear();
        while (known.size() > MAX_PER_TENANT) {
            known.pollFirstEntry();
        }
        return true;
    }
}
