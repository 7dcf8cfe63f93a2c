package io.callpark.store;

import io.callpark.park.ParkState;
import io.callpark.park.DialogTag;
import io.callpark.park.ParkedCall;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.CallLocator;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.ParkIdKey;
import io.callpark.store.schema.StoredQueue;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static io.callpark.park.Calls.parked;
import static io.callpark.park.Calls.parkedWithTag;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParkStoreTest {

    private final MemoryTable<ExtensionKey, StoredQueue> queues = new MemoryTable<>();
    private final MemoryTable<CallIdKey, CallLocator> byCallId = new MemoryTable<>();
    private final MemoryTable<ParkIdKey, CallLocator> parkIds = new MemoryTable<>();
    private final ParkStore parks = new ParkStore(queues, byCallId, parkIds);

    private ParkedCall park(String parkId, String extension, String callId, long at) {
        assertTrue(parks.reserveParkId("acme.test", parkId, extension));
        ParkedCall call = parked(parkId, extension, callId, at);
        assertEquals(ParkStore.AddResult.ADDED, parks.add(call, 2));
        return call;
    }

    @Test
    void callsWaitOldestFirstUpToTheLimit() {
        park("100001", "103", "c1", 1000);
        park("100002", "103", "c2", 900);
        assertEquals(ParkStore.AddResult.FULL, parks.add(parked("100003", "103", "c3", 800), 2));
        assertEquals(List.of("c1", "c2"), parks.callsAt("acme.test", "103").stream().map(ParkedCall::callId).toList(),
                "the queue keeps the order they came in");
        assertEquals("c2", parks.claim("acme.test", "103", Optional.empty(), "r1", "node1").orElseThrow().callId(),
                "the oldest is taken first");
    }

    @Test
    void aParkIdIsReservedOnce() {
        assertTrue(parks.reserveParkId("acme.test", "123456", "103"));
        assertFalse(parks.reserveParkId("acme.test", "123456", "104"));
        assertTrue(parks.reserveParkId("globex.test", "123456", "104"), "ids are per tenant");
    }

    @Test
    void afterAWholeClusterRestartTheParkIdIndexIsRebuiltFromTheParkedCalls() {
        ParkedCall call = parkedWithTag("100001", "103", "c1", 1000);
        assertTrue(parks.reserveParkId("acme.test", "100001", "103"));
        assertEquals(ParkStore.AddResult.ADDED, parks.add(call, 2));
        // the file store gave the queues back; the index, in memory only, is gone
        MemoryTable<ParkIdKey, CallLocator> emptyIndex = new MemoryTable<>();
        ParkStore restarted = new ParkStore(queues, byCallId, emptyIndex);

        assertEquals(call, restarted.callByParkId("acme.test", "100001").orElseThrow(), "found by its park id again");
        assertEquals(call, restarted.byDialog(call.callId(), call.leg().localTag(), call.leg().remoteTag())
                .orElseThrow(), "and so by our tag in its dialog: its BYE still ends it");
        assertFalse(restarted.reserveParkId("acme.test", "100001", "104"), "its id is still taken");

        int written = emptyIndex.writes.get();
        new ParkStore(queues, byCallId, emptyIndex);
        assertEquals(written, emptyIndex.writes.get(), "a node that finds the index complete writes nothing");
    }

    @Test
    void aCallIsClaimedByOneRetrieveOnly() {
        park("100001", "103", "c1", 1000);
        assertTrue(parks.claim("acme.test", "103", Optional.empty(), "r1", "node1").isPresent());
        assertTrue(parks.claim("acme.test", "103", Optional.empty(), "r2", "node2").isEmpty());
        ParkedCall held = parks.callByParkId("acme.test", "100001").orElseThrow();
        assertEquals(ParkState.JOINING, held.state());
        assertEquals("r1", held.claimedBy());
    }

    private Optional<ParkedCall> byDialogOf(ParkedCall call) {
        return parks.byDialog(call.callId(), call.leg().localTag(), call.leg().remoteTag());
    }

    @Test
    void theCallerIsFoundByTheTagOfItsDialogAndByParkIdUntilItLeavesAndNoCallIdIndexIsWritten() {
        ParkedCall call = parkedWithTag("100001", "103", "c1", 1000);
        assertTrue(parks.reserveParkId("acme.test", "100001", "103"));
        assertEquals(ParkStore.AddResult.ADDED, parks.add(call, 2));
        assertEquals("100001", byDialogOf(call).orElseThrow().parkId());
        assertEquals(0, byCallId.writes.get(), "nothing indexed by Call-ID");
        assertTrue(parks.remove("acme.test", "103", "100001").isPresent());
        assertTrue(byDialogOf(call).isEmpty());
        assertTrue(parks.byParkId("acme.test", "100001").isEmpty(), "the park id is free again");
        assertTrue(queues.get(new ExtensionKey("acme.test", "103")) == null, "an empty queue is no entry");
        assertEquals(0, byCallId.writes.get(), "nor removed");
    }

    @Test
    void aRequestOutsideTheCallsDialogFindsNothing() {
        ParkedCall call = parkedWithTag("100001", "103", "c1", 1000);
        parks.reserveParkId("acme.test", "100001", "103");
        parks.add(call, 2);
        String ours = call.leg().localTag();
        String theirs = call.leg().remoteTag();
        assertTrue(parks.byDialog("c2", ours, theirs).isEmpty(), "another Call-ID with the call's tags");
        assertTrue(parks.byDialog("c1", ours, "other").isEmpty(), "another far-end tag");
        assertTrue(parks.byDialog("c1", ours, null).isEmpty(), "no far-end tag");
        assertTrue(parks.byDialog("c1", null, theirs).isEmpty(), "no tag of ours");
        assertTrue(parks.byDialog("c1", DialogTag.ofParkedCall("acme.test", "100001"), theirs).isEmpty(),
                "a tag made up for the same call");
        assertTrue(parks.byDialog("c1", DialogTag.ofParkedCall("globex.test", "100001"), theirs).isEmpty(),
                "a tag naming another tenant");
    }

    @Test
    void aCallParkedByTheReleaseBeforeIsFoundByItsCallIdIndexUntilItLeaves() {
        ParkedCall call = park("100001", "103", "c1", 1000);
        assertEquals("100001", byDialogOf(call).orElseThrow().parkId());
        assertTrue(parks.remove("acme.test", "103", "100001").isPresent());
        assertTrue(byDialogOf(call).isEmpty());
        assertTrue(byCallId.get(new CallIdKey("c1")) == null, "its index entry is gone with it");
    }

    @Test
    void aTenantsCallsAreListedWithoutScanningTheCache() {
        park("100001", "103", "c1", 1000);
        park("100002", "104", "c2", 900);
        queues.put(new ExtensionKey("globex.test", "103"), StoredQueue.of(List.of(parked("100003", "103", "g", 1))));
        int scans = queues.scans.get();
        assertEquals(List.of("c2", "c1"),
                parks.ofTenant("acme.test", Optional.empty()).stream().map(ParkedCall::callId).toList());
        assertEquals(List.of("c1"),
                parks.ofTenant("acme.test", Optional.of("103")).stream().map(ParkedCall::callId).toList());
        assertEquals(scans, queues.scans.get());
        parks.remove("acme.test", "104", "100002");
        assertEquals(List.of("c1"),
                parks.ofTenant("acme.test", Optional.empty()).stream().map(ParkedCall::callId).toList());
    }

    @Test
    void aChangeThatLeavesTheCallAsItIsWritesNothing() {
        ParkedCall call = park("100001", "103", "c1", 1000);
        int writes = queues.writes.get();
        assertEquals(call, parks.modify("acme.test", "103", "100001", stored -> stored).orElseThrow());
        assertTrue(parks.replace(parked("100001", "103", "other", 1), call).isEmpty(), "a stale expectation");
        assertEquals(writes, queues.writes.get(), "nothing replicated");
    }

    @Test
    void aMoveKeepsTheCallsParkIdAndItsPlaceInTime() {
        ParkedCall call = park("100001", "103", "c1", 1000);
        assertEquals(ParkStore.MoveResult.MOVED, parks.move(call, "105", 2, "node1"));
        ParkedCall moved = parks.callByParkId("acme.test", "100001").orElseThrow();
        assertEquals("105", moved.extension());
        assertEquals(1000, moved.parkedAt());
        assertEquals(ParkState.PARKED, moved.state());
        assertEquals("105", byDialogOf(moved).orElseThrow().extension());
        assertTrue(parks.callsAt("acme.test", "103").isEmpty());
    }
}
