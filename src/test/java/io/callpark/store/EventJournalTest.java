package io.callpark.store;

import io.callpark.store.schema.EventKey;
import io.callpark.store.schema.JournalEntry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Two nodes' journals on one table: what one publishes, the other hears and can replay, in few writes. */
class EventJournalTest {

    private final CountingTable<EventKey, JournalEntry> table = new CountingTable<>(new MemoryTable<>());
    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    /** Holds the timer thread: no batch is written until it is let go. */
    private final CountDownLatch timerHeld = new CountDownLatch(1);
    private EventJournal node1;
    private EventJournal node2;
    private final List<EventJournal.Entry> heardOnNode2 = new CopyOnWriteArrayList<>();

    @BeforeEach
    void journals() throws Exception {
        timers.execute(() -> {
            try {
                timerHeld.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        node1 = new EventJournal(table, "node1", timers);
        node2 = new EventJournal(table, "node2", timers);
        node2.subscribe(heardOnNode2::add);
    }

    @AfterEach
    void stop() throws Exception {
        timerHeld.countDown();
        timers.shutdownNow();
    }

    /** Lets the timer thread go and waits until it ran what was due (delayed tasks run after shutdown). */
    private void runTimers() throws InterruptedException {
        timerHeld.countDown();
        timers.shutdown();
        assertTrue(timers.awaitTermination(10, TimeUnit.SECONDS));
    }

    @Test
    void eventsOfTheSameMomentAreOneWriteThatEveryNodeHearsAndReplays() throws Exception {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            ids.add(node1.append("acme.test", id -> "{\"n\":" + n + "}").id());
        }
        assertEquals(0, table.writes(), "nothing is written before the batch's time is up");
        assertEquals(List.of(), heardOnNode2);

        runTimers();

        assertEquals(1, table.writes(), "five events, one request");
        assertEquals(ids, heardOnNode2.stream().map(EventJournal.Entry::id).toList());
        assertEquals("{\"n\":3}", heardOnNode2.get(3).json());
        assertEquals(ids.subList(2, 5), node2.after("acme.test", ids.get(1)).stream()
                .map(EventJournal.Entry::id).toList(), "a stream that saw the second event gets the three after it");
        assertEquals(List.of(), node2.after("other.test", ""), "a tenant sees only its own events");
    }

    @Test
    void aFullBatchIsWrittenAtOnce() {
        for (int i = 0; i < EventJournal.MAX_BATCH; i++) {
            node1.append("acme.test", id -> "{}");
        }
        assertEquals(1, table.writes(), "the timer is still held: the batch was full");
        assertEquals(EventJournal.MAX_BATCH, heardOnNode2.size());
    }

    @Test
    void closingWritesWhatIsLeftAndLaterEventsAtOnce() throws Exception {
        node1.append("acme.test", id -> "{\"before\":true}");
        node1.close();
        assertEquals(1, table.writes(), "the event of the moment before the node stopped is not lost");
        node1.append("acme.test", id -> "{\"after\":true}");
        assertEquals(2, table.writes());
        assertEquals(2, node2.after("acme.test", "").size());
    }
}
