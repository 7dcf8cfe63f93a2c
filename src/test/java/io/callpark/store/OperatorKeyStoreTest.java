package io.callpark.store;

import io.callpark.store.schema.StoredKeyList;
import io.callpark.store.schema.TenantKey;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OperatorKeyStoreTest {

    private static final String OLD = "old-operator-key-0123456789abcdef";
    private static final String NEXT = "next-operator-key-0123456789abcdef";

    private final MemoryTable<TenantKey, StoredKeyList> table = new MemoryTable<>();
    private final OperatorKeyStore keys = new OperatorKeyStore(table);

    @Test
    void aRotationHasTwoValidKeysThenOnlyTheNewOne() {
        keys.seed(OLD);
        assertTrue(keys.accepts(OLD).isPresent());
        assertFalse(keys.accepts(NEXT).isPresent());

        assertEquals(OperatorKeyStore.Added.ADDED, keys.add(ApiKeyStore.sha256(NEXT)));
        assertTrue(keys.accepts(OLD).isPresent(), "during the rotation");
        assertTrue(keys.accepts(NEXT).isPresent(), "during the rotation");

        List<OperatorKeyStore.OperatorKey> retired = keys.retireAllBut(ApiKeyStore.sha256(NEXT));
        assertEquals(List.of(OperatorKeyStore.fingerprint(ApiKeyStore.sha256(OLD))),
                retired.stream().map(OperatorKeyStore.OperatorKey::fingerprint).toList());
        assertFalse(keys.accepts(OLD).isPresent());
        assertTrue(keys.accepts(NEXT).isPresent());
    }

    @Test
    void aNodeStartedWithARetiredKeyDoesNotBringItBack() {
        keys.seed(OLD);
        keys.add(ApiKeyStore.sha256(NEXT));
        keys.retireAllBut(ApiKeyStore.sha256(NEXT));

        assertFalse(keys.seed(OLD), "a node still configured with the old key");
        assertFalse(keys.accepts(OLD).isPresent());
        assertTrue(keys.seed(NEXT));
        assertEquals(1, keys.accepted().size());
    }

    @Test
    void onlyTheOperatorAddsARetiredKeyAgain() {
        keys.seed(OLD);
        keys.add(ApiKeyStore.sha256(NEXT));
        keys.retireAllBut(ApiKeyStore.sha256(NEXT));

        assertEquals(OperatorKeyStore.Added.ADDED, keys.add(ApiKeyStore.sha256(OLD)));
        assertTrue(keys.accepts(OLD).isPresent());
        assertEquals(0, keys.retiredCount());
    }

    @Test
    void atMostFourKeysAreValidAtOnce() {
        keys.seed(OLD);
        for (int i = 0; i < OperatorKeyStore.MAX_ACCEPTED - 1; i++) {
            assertEquals(OperatorKeyStore.Added.ADDED, keys.add(ApiKeyStore.sha256("key-" + i)));
        }
        assertEquals(OperatorKeyStore.Added.TOO_MANY, keys.add(ApiKeyStore.sha256(NEXT)));
        assertEquals(OperatorKeyStore.Added.ALREADY_VALID, keys.add(ApiKeyStore.sha256(OLD)));
    }

    @Test
    void everyNodeHearsWhichKeysWereRetired() {
        List<String> heard = new ArrayList<>();
        keys.whenRetired(heard::add);
        keys.seed(OLD);
        keys.add(ApiKeyStore.sha256(NEXT));
        keys.retireAllBut(ApiKeyStore.sha256(NEXT));
        assertEquals(List.of(ApiKeyStore.sha256(OLD)), heard);
    }

    @Test
    void theStoreKeepsHashesOnly() {
        keys.seed(OLD);
        keys.add(ApiKeyStore.sha256(NEXT));
        keys.retireAllBut(ApiKeyStore.sha256(NEXT));
        String stored = table.values().toString() + table.keys();
        assertFalse(stored.contains(OLD) || stored.contains(NEXT), stored);
    }
}
