package io.callpark.store;

import io.callpark.store.schema.ListedKey;
import io.callpark.store.schema.StoredKeyList;
import io.callpark.store.schema.TenantKey;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The operator's API keys, known by their SHA-256 only, shared by every node (two reserved entries of the
 * replicated, persisted {@code tenant-keys} cache: no tenant domain starts with {@code @}). A node adds the key it
 * was configured with when it starts, unless that key was retired; a rotation adds the next key while every
 * node is running, and a retirement keeps the key it is made with and retires all the others: no node restarts,
 * no parked call is touched.
 */
public final class OperatorKeyStore {

    /** How many keys may be valid at once (a rotation needs two; nodes started with a changed key add theirs). */
    public static final int MAX_ACCEPTED = 4;
    /** Retired keys remembered, newest kept: a node started with one of them does not bring it back. */
    static final int MAX_RETIRED = 50;
    public static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    static final TenantKey ACCEPTED = new TenantKey("@operator");
    static final TenantKey RETIRED = new TenantKey("@operator-retired");

    /** A key as it is shown: the first 8 hex digits of its SHA-256, never the key or its whole hash. */
    public record OperatorKey(String fingerprint, long createdMs) {
    }

    /** What {@link #add} did. */
    public enum Added { ADDED, ALREADY_VALID, TOO_MANY }

    private final Table<TenantKey, StoredKeyList> table;

    public OperatorKeyStore(Table<TenantKey, StoredKeyList> table) {
        this.table = table;
    }

    public static String fingerprint(String sha256) {
        return sha256.substring(0, 8);
    }

    /** At a node's start: its configured key becomes valid unless it was retired; false when it was. */
    public boolean seed(String configuredKey) {
        String hash = ApiKeyStore.sha256(configuredKey);
        if (hashes(RETIRED).contains(hash)) {
            return false;
        }
        ConditionalUpdate.apply(table, ACCEPTED, current -> {
            List<ListedKey> keys = listed(current);
            if (keys.stream().anyMatch(k -> k.sha256().equals(hash))) {
                return current;
            }
            List<ListedKey> more = new ArrayList<>(keys);
            more.add(listedKey(hash));
            return Optional.of(StoredKeyList.of(more));
        });
        return true;
    }

    /** Whether {@code presented} is a valid operator key; its hash when it is. */
    public Optional<String> accepts(String presented) {
        String hash = ApiKeyStore.sha256(presented);
        return hashes(ACCEPTED).contains(hash) ? Optional.of(hash) : Optional.empty();
    }

    /**
     * Makes the key with this SHA-256 valid beside the others (the start of a rotation). A retired key may be
     * added again: the operator says so explicitly.
     */
    public Added add(String sha256) {
        AtomicReference<Added> outcome = new AtomicReference<>();
        ConditionalUpdate.apply(table, ACCEPTED, current -> {
            List<ListedKey> keys = listed(current);
            if (keys.stream().anyMatch(k -> k.sha256().equals(sha256))) {
                outcome.set(Added.ALREADY_VALID);
                return current;
            }
            if (keys.size() >= MAX_ACCEPTED) {
                outcome.set(Added.TOO_MANY);
                return current;
            }
            outcome.set(Added.ADDED);
            List<ListedKey> more = new ArrayList<>(keys);
            more.add(listedKey(sha256));
            return Optional.of(StoredKeyList.of(more));
        });
        if (outcome.get() == Added.ADDED) {
            ConditionalUpdate.apply(table, RETIRED, current -> {
                List<ListedKey> retired = new ArrayList<>(listed(current));
                return retired.removeIf(k -> k.sha256().equals(sha256)) ? Optional.of(StoredKeyList.of(retired))
                        : current;
            });
        }
        return outcome.get();
    }

    /**
     * Retires every valid key but {@code keptSha256} (the end of a rotation: made with the new key). Retired
     * first, then no longer accepted, so no node brings one back in between.
     *
     * @return the keys retired
     */
    public List<OperatorKey> retireAllBut(String keptSha256) {
        List<ListedKey> others = listed(Optional.ofNullable(table.get(ACCEPTED))).stream()
                .filter(k -> !k.sha256().equals(keptSha256)).toList();
        if (others.isEmpty()) {
            return List.of();
        }
        ConditionalUpdate.apply(table, RETIRED, current -> {
            List<ListedKey> retired = new ArrayList<>(listed(current));
            others.stream().filter(k -> retired.stream().noneMatch(r -> r.sha256().equals(k.sha256())))
                    .map(k -> new ListedKey(k.id(), k.sha256(), System.currentTimeMillis())).forEach(retired::add);
            retired.sort(Comparator.comparingLong(ListedKey::createdMs));
            while (retired.size() > MAX_RETIRED) {
                retired.remove(0);
            }
            return Optional.of(StoredKeyList.of(retired));
        });
        ConditionalUpdate.apply(table, ACCEPTED, current -> {
            List<ListedKey> kept = listed(current).stream().filter(k -> k.sha256().equals(keptSha256)).toList();
            return kept.isEmpty() ? Optional.empty() : Optional.of(StoredKeyList.of(kept));
        });
        return others.stream().map(k -> new OperatorKey(fingerprint(k.sha256()), k.createdMs())).toList();
    }

    /** The valid keys, oldest first. */
    public List<OperatorKey> accepted() {
        return listed(Optional.ofNullable(table.get(ACCEPTED))).stream()
                .sorted(Comparator.comparingLong(ListedKey::createdMs))
                .map(k -> new OperatorKey(fingerprint(k.sha256()), k.createdMs())).toList();
    }

    public int retiredCount() {
        return hashes(RETIRED).size();
    }

    /** Tells {@code listener} the SHA-256 of every key no longer valid, on any node (on a cache thread). */
    public AutoCloseable whenRetired(Consumer<String> listener) {
        return table.watch((key, value) -> {
            if (RETIRED.equals(key) && value != null) {
                value.keys().forEach(k -> listener.accept(k.sha256()));
            }
        });
    }

    private List<String> hashes(TenantKey which) {
        return listed(Optional.ofNullable(table.get(which))).stream().map(ListedKey::sha256).toList();
    }

    private static ListedKey listedKey(String sha256) {
        return new ListedKey(fingerprint(sha256), sha256, System.currentTimeMillis());
    }

    private static List<ListedKey> listed(Optional<StoredKeyList> value) {
        return value.map(StoredKeyList::keys).orElse(List.of());
    }
}
