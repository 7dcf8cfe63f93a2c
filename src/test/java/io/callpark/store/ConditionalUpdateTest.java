package io.callpark.store;

import io.callpark.store.schema.StoredGroups;
import io.callpark.store.schema.TenantKey;
import io.callpark.tenant.Group;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConditionalUpdateTest {

    private static final TenantKey KEY = new TenantKey("acme.test");
    private final MemoryTable<TenantKey, StoredGroups> table = new MemoryTable<>();

    private static StoredGroups groups(String... names) {
        return StoredGroups.of(java.util.Arrays.stream(names).map(n -> new Group(n, List.of("101"), null)).toList());
    }

    @Test
    void eachWriteGivesANewVersion() {
        StoredGroups first = ConditionalUpdate.apply(table, KEY, current -> Optional.of(groups("a"))).orElseThrow();
        StoredGroups second = ConditionalUpdate.apply(table, KEY, current -> Optional.of(groups("a", "b")))
                .orElseThrow();
        assertNotEquals(first.version(), second.version());
        assertEquals(second, table.get(KEY));
        assertEquals(2, table.get(KEY).groups().size());
    }

    @Test
    void valuesAreTheSameExactlyWhenTheirVersionsAre() {
        assertEquals(groups("a").withVersion(7), groups("b", "c").withVersion(7));
        assertNotEquals(groups("a").withVersion(7), groups("a").withVersion(8));
    }

    @Test
    void aWriterThatReadAnOlderVersionLosesAndTriesAgainOnTheNewOne() {
        ConditionalUpdate.apply(table, KEY, current -> Optional.of(groups("a")));
        int[] calls = {0};
        StoredGroups written = ConditionalUpdate.apply(table, KEY, current -> {
            if (calls[0]++ == 0) {
                // another node writes between our read and our compare-and-set
                StoredGroups now = table.get(KEY);
                assertTrue(table.replace(KEY, now, groups("a", "other").withVersion(ConditionalUpdate.newVersion())));
            }
            List<Group> mine = new java.util.ArrayList<>(current.orElseThrow().groups());
            mine.add(new Group("mine", List.of("102"), null));
            return Optional.of(StoredGroups.of(mine));
        }).orElseThrow();
        assertEquals(2, calls[0], "the change was applied again to what the other node wrote");
        assertEquals(List.of("a", "other", "mine"), written.groups().stream().map(Group::name).toList());
    }

    /**
     * Infinispan retries a conditional write that met a topology change (a node died) accepting the expected
     * value or the new one. Two writers that raced from the same value must never write equal versions, or the
     * loser's retry replaces the winner's write.
     */
    @Test
    void aRetriedWriteNeverOverwritesTheWriteOfANodeThatRacedIt() {
        MemoryTable<TenantKey, StoredGroups> retrying = new MemoryTable<>() {
            @Override
            public boolean replace(TenantKey key, StoredGroups expected, StoredGroups next) {
                StoredGroups now = get(key);
                return now != null && now.equals(next) ? super.replace(key, now, next)
                        : super.replace(key, expected, next);
            }
        };
        ConditionalUpdate.apply(retrying, KEY, current -> Optional.of(groups("a")));
        StoredGroups base = retrying.get(KEY);
        int[] calls = {0};
        ConditionalUpdate.apply(retrying, KEY, current -> {
            if (calls[0]++ == 0) {
                // the other node wins from the same base
                ConditionalUpdate.apply(retrying, KEY, c -> Optional.of(groups("a", "theirs")));
            }
            List<Group> mine = new java.util.ArrayList<>(current.orElseThrow().groups());
            mine.add(new Group("mine", List.of("102"), null));
            return Optional.of(StoredGroups.of(mine));
        });
        assertNotEquals(base, retrying.get(KEY));
        assertEquals(List.of("a", "theirs", "mine"), retrying.get(KEY).groups().stream().map(Group::name).toList(),
                "both writes are in");
    }

    @Test
    void leavingTheValueAsItIsWritesNothing() {
        ConditionalUpdate.apply(table, KEY, current -> Optional.of(groups("a")));
        StoredGroups before = table.get(KEY);
        int writes = table.writes.get();
        assertSame(before, ConditionalUpdate.apply(table, KEY, current -> current).orElseThrow());
        assertEquals(writes, table.writes.get());
    }

    @Test
    void anEntryRemovedAndCreatedAgainNeverTakesAVersionAStaleWriterExpects() {
        StoredGroups old = ConditionalUpdate.apply(table, KEY, current -> Optional.of(groups("a"))).orElseThrow();
        ConditionalUpdate.apply(table, KEY, current -> Optional.empty());
        assertFalse(table.values().contains(old));
        StoredGroups again = ConditionalUpdate.apply(table, KEY, current -> Optional.of(groups("a"))).orElseThrow();
        assertNotEquals(old.version(), again.version());
        assertFalse(table.replace(KEY, old, groups("stale")), "a write based on the removed entry fails");
    }
}
