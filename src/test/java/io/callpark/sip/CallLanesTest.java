package io.callpark.sip;

import io.callpark.testing.Wait;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CallLanesTest {

    private final CallLanes lanes = new CallLanes(3, CallLanes.class.getClassLoader());

    @AfterEach
    void stop() {
        lanes.close();
    }

    private static Runnable waitFor(CountDownLatch release) {
        return () -> {
            try {
                release.await(5, TimeUnit.SECONDS); // as a write waits for the other nodes
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    @Test
    void theWorkOfOneCallRunsInOrderOneAtATime() throws Exception {
        List<Integer> done = new CopyOnWriteArrayList<>();
        CountDownLatch all = new CountDownLatch(200);
        for (int i = 0; i < 200; i++) {
            int n = i;
            lanes.execute("call-1", () -> {
                done.add(n);
                all.countDown();
            });
        }
        assertTrue(all.await(5, TimeUnit.SECONDS));
        assertEquals(IntStream.range(0, 200).boxed().toList(), done);
    }

    @Test
    void aCallThatWaitsHoldsUpNoOtherCall() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch other = new CountDownLatch(1);
        lanes.execute("slow", waitFor(release));
        lanes.execute("fast", other::countDown);
        assertTrue(other.await(2, TimeUnit.SECONDS), "another call's work runs meanwhile");
        release.countDown();
    }

    @Test
    void callsWaitingOnTheirRepliesHoldNoThread() throws Exception {
        int calls = 5000; // far more than any pool of platform threads: every one must be waiting at once
        CompletableFuture<Void> acknowledged = new CompletableFuture<>(); // as a write the other nodes acknowledge
        CountDownLatch waiting = new CountDownLatch(calls);
        CountDownLatch continued = new CountDownLatch(calls);
        AtomicInteger onPlatformThreads = new AtomicInteger();
        try (CallLanes many = new CallLanes(calls, CallLanes.class.getClassLoader())) {
            for (int i = 0; i < calls; i++) {
                assertTrue(many.offer("call-" + i, () -> {
                    if (!Thread.currentThread().isVirtual()) {
                        onPlatformThreads.incrementAndGet();
                    }
                    waiting.countDown();
                    acknowledged.join();
                    continued.countDown();
                }));
            }
            assertTrue(waiting.await(20, TimeUnit.SECONDS), () -> waiting.getCount() + " calls never started");
            assertEquals(calls, many.busy());
            acknowledged.complete(null);
            assertTrue(continued.await(20, TimeUnit.SECONDS), () -> continued.getCount() + " calls never continued");
        }
        assertEquals(0, onPlatformThreads.get());
    }

    @Test
    void pastTheLimitNewInboundRequestsAreRefused() {
        CountDownLatch release = new CountDownLatch(1);
        lanes.execute("busy", waitFor(release));
        for (int i = 0; i < 3; i++) {
            assertTrue(lanes.offer("busy", () -> { }));
        }
        assertFalse(lanes.offer("busy", () -> { }), "the fourth waiting request is refused");
        assertTrue(lanes.execute("busy", () -> { }), "follow-up work is never refused");
        release.countDown();
    }

    @Test
    void requestsInProgressOnOtherLanesCountTowardsTheLimit() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            assertTrue(lanes.offer("call-" + i, () -> {
                running.countDown();
                waitFor(release).run(); // started, and waiting on a replica
            }));
        }
        assertTrue(running.await(5, TimeUnit.SECONDS));
        assertFalse(lanes.offer("call-3", () -> { }), "three requests in progress: the fourth is refused");
        release.countDown();
        assertTrue(Wait.until(() -> lanes.offer("call-4", () -> { }), Duration.ofSeconds(5)),
                "taken again once they are done");
    }

    @Test
    void aLaneIsGoneWhenItsWorkIs() throws Exception {
        CountDownLatch done = new CountDownLatch(1);
        lanes.execute("call-1", done::countDown);
        assertTrue(done.await(2, TimeUnit.SECONDS));
        assertTrue(Wait.until(() -> lanes.busy() == 0, Duration.ofSeconds(2)));
    }
}
