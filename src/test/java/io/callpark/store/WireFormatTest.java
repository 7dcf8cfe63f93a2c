package io.callpark.store;

import io.callpark.park.Bridge;
import io.callpark.park.ParkState;
import io.callpark.park.DialogLeg;
import io.callpark.park.ParkedCall;
import io.callpark.park.Watcher;
import io.callpark.park.FeatureCodes;
import io.callpark.store.schema.BridgeKey;
import io.callpark.store.schema.BridgeRef;
import io.callpark.store.schema.CallIdKey;
import io.callpark.store.schema.CallLocator;
import io.callpark.store.schema.CallparkSchemaImpl;
import io.callpark.store.schema.EventKey;
import io.callpark.store.schema.ExtensionKey;
import io.callpark.store.schema.JournalEntry;
import io.callpark.store.schema.KeyHash;
import io.callpark.store.schema.ListedKey;
import io.callpark.store.schema.ParkIdKey;
import io.callpark.store.schema.StoredApiKey;
import io.callpark.store.schema.StoredAudio;
import io.callpark.store.schema.StoredMusic;
import io.callpark.store.schema.StoredBridge;
import io.callpark.store.schema.StoredGroups;
import io.callpark.store.schema.StoredKeyList;
import io.callpark.store.schema.StoredQueue;
import io.callpark.store.schema.StoredTenant;
import io.callpark.store.schema.StoredLots;
import io.callpark.store.schema.StoredWatchers;
import io.callpark.store.schema.StoredWebhook;
import io.callpark.store.schema.StoredWebhooks;
import io.callpark.store.schema.TenantKey;
import io.callpark.store.schema.Versioned;
import io.callpark.tenant.ParkingLot;
import io.callpark.tenant.Group;
import io.callpark.tenant.GroupRecall;
import io.callpark.tenant.RecallDestination;
import io.callpark.tenant.TenantSettings;
import org.infinispan.protostream.ProtobufUtil;
import org.infinispan.protostream.SerializationContext;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static io.callpark.park.Calls.parked;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

/**
 * The wire format is held: for each kind of record the caches keep, the bytes this release wrote are kept under
 * src/test/resources/wire (written once with -Dcallpark.wire.record=true) and must still read, to the same
 * values, and take a compare-and-set, with the code of every later commit.
 */
class WireFormatTest {

    private static final long VERSION = 4_611_686_018_427_387_000L;
    private static SerializationContext wire;

    @BeforeAll
    static void schema() {
        wire = ProtobufUtil.newSerializationContext();
        new CallparkSchemaImpl().register(wire);
    }

    /** One value of every kind of key and value, as this release writes them. */
    static Map<String, Object> samples() {
        Map<String, Object> samples = new LinkedHashMap<>();
        ParkedCall waiting = parked("123456", "103", "call-1@127.0.0.5", 1_764_000_000_000L);
        ParkedCall held = parked("654321", "103", "call-2@127.0.0.6", 1_764_000_001_000L)
                .claimed(ParkState.JOINING, "retrieve-call@127.0.0.7", "node2");
        samples.put("extension-key", new ExtensionKey("acme.test", "103"));
        samples.put("call-id-key", new CallIdKey("call-1@127.0.0.5"));
        samples.put("park-id-key", new ParkIdKey("acme.test", "123456"));
        samples.put("tenant-key", new TenantKey("acme.test"));
        samples.put("bridge-key", new BridgeKey("7d6f2b8e-bridge"));
        samples.put("key-hash", new KeyHash("9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"));
        samples.put("event-key", new EventKey("acme.test", "1764000000000-node1-000000000001"));
        samples.put("parked-queue", new StoredQueue(VERSION, List.of(waiting, held)));
        samples.put("call-locator", new CallLocator("acme.test", "103", "123456"));
        samples.put("bridge", new StoredBridge(VERSION, new Bridge("7d6f2b8e-bridge", "acme.test",
                waiting.leg(), held.leg())));
        samples.put("bridge-ref", new BridgeRef("7d6f2b8e-bridge"));
        samples.put("tenant", new StoredTenant(VERSION, "acme.test", new TenantSettings(45,
                RecallDestination.PARKER_THEN_RING_GROUP, "front", 20, 10, 20, 2, "100", 4, "/srv/moh/acme.wav",
                new FeatureCodes("*70", "*71", "*72"), "0", 0, 0), 1_764_000_000_000L, 1_764_000_002_000L));
        samples.put("tenant-limits", new StoredTenant(VERSION, "globex.test", new TenantSettings(60,
                RecallDestination.PARKER, "", 20, 10, 20, 3, "", 5, "", new FeatureCodes("*68", "*88", "*58"), "",
                7, 70), 1_764_100_000_000L, 1_764_100_002_000L));
        samples.put("parked-queue-adopted", new StoredQueue(VERSION, List.of(waiting.awaitingCaller(true))));
        samples.put("groups", new StoredGroups(VERSION, List.of(
                new Group("sales", List.of("201", "202"), new GroupRecall(60, null, null, null, null, null, null, "100")),
                new Group("front", List.of("101"), GroupRecall.NONE))));
        samples.put("webhooks", new StoredWebhooks(VERSION, List.of(new StoredWebhook("260435790536",
                "https://hooks.acme.test/park", "whsec_974757c31f0921f662e7b56f1afd804e", List.of("parked"),
                1_764_000_000_000L))));
        samples.put("key-list", new StoredKeyList(VERSION, List.of(new ListedKey("9f86d081884c",
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 1_764_000_000_000L))));
        samples.put("api-key", new StoredApiKey("9f86d081884c", "acme.test", 1_764_000_000_000L));
        samples.put("journal-entry", new JournalEntry("1764000000000-node1-000000000001", "acme.test",
                "{\"type\":\"parked\",\"parkId\":\"123456\"}"));
        samples.put("slot-watchers", new StoredWatchers(VERSION, List.of(new Watcher(new DialogLeg(
                "key-1@127.0.0.7", "5f1e", "key-tag", "<sip:*88103@acme.test>", "<sip:101@acme.test>",
                "sip:101@127.0.0.7:5070;transport=udp", List.of("<sip:127.0.0.1:5060;lr>"), 4242, 0, 0, 7),
                "sip:*88103@acme.test", "blf-1", "101@acme.test", 3, 1_764_003_600_000L)), -4_321_987_654_321L));
        samples.put("parking-lots", new StoredLots(VERSION, List.of(new ParkingLot("main", 701, 720, "700"),
                new ParkingLot("garage", 801, 805, ""))));
        samples.put("hold-music", new StoredMusic(
                "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", 96_044, 6_000,
                "PCM_SIGNED 8000 Hz 16 bit mono", 1_764_000_000_000L));
        byte[] ulaw = new byte[320];
        for (int i = 0; i < ulaw.length; i++) {
            ulaw[i] = (byte) (i * 7);
        }
        samples.put("hold-music-audio", new StoredAudio(
                "5f70bf18a086007016e948b04aed3b82103a36bea41755b6cddfaf10ace3c6ef", ulaw));
        return samples;
    }

    static List<String> kinds() {
        return List.copyOf(samples().keySet());
    }

    @ParameterizedTest
    @MethodSource("kinds")
    void bytesOfThisReleaseStillRead(String kind) throws IOException {
        Object sample = samples().get(kind);
        Object read = ProtobufUtil.fromWrappedByteArray(wire, kept(kind, sample));
        // toString shows every field: versioned records are equal by version alone
        assertEquals(sample.toString(), read.toString(), kind);
    }

    @ParameterizedTest
    @MethodSource("kinds")
    @SuppressWarnings({"unchecked", "rawtypes"})
    void storedValuesOfThisReleaseTakeACompareAndSet(String kind) throws IOException {
        Object read = ProtobufUtil.fromWrappedByteArray(wire, kept(kind, samples().get(kind)));
        if (!(read instanceof Versioned<?> stored)) {
            return; // keys and values written once: no conditional update
        }
        assertNotEquals(VERSION, compareAndSet((Versioned) stored), kind);
    }

    /** Stores the value, changes it by compare-and-set and returns the version written. */
    private static <V extends Versioned<V>> long compareAndSet(V stored) {
        MemoryTable<String, V> table = new MemoryTable<>();
        table.put("key", stored);
        return ConditionalUpdate.apply(table, "key", current -> Optional.of(current.orElseThrow().withVersion(0)))
                .orElseThrow().version();
    }

    /** The bytes kept for this kind (recorded from the sample when asked to). */
    private static byte[] kept(String kind, Object sample) throws IOException {
        String name = "/wire/" + kind + ".bin";
        if (Boolean.getBoolean("callpark.wire.record")) {
            Path file = Path.of("src/test/resources" + name);
            if (!Files.exists(file)) {
                Files.createDirectories(file.getParent());
                Files.write(file, ProtobufUtil.toWrappedByteArray(wire, sample));
                return Files.readAllBytes(file);
            }
        }
        try (InputStream in = WireFormatTest.class.getResourceAsStream(name)) {
            assertNotNull(in, name + " is missing: record it once with -Dcallpark.wire.record=true and commit it");
            return in.readAllBytes();
        }
    }
}
