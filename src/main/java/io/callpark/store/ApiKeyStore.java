package io.callpark.store;

import io.callpark.store.schema.KeyHash;
import io.callpark.store.schema.ListedKey;
import io.callpark.store.schema.StoredApiKey;
import io.callpark.store.schema.StoredKeyList;
import io.callpark.store.schema.TenantKey;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Per-tenant API keys. Only a SHA-256 of each key is stored ({@code api-keys}: hash -> tenant), with the tenant's
 * list of its keys ({@code tenant-keys}) for listing and revoking: the key itself is shown once, when it is
 * issued, and a leaked cache does not give access.
 */
public final class ApiKeyStore {

    /** A stored key: its public id, its tenant, when it was issued. */
    public record ApiKey(String id, String tenant, Instant created) {
    }

    /** A key just issued: the only moment its secret is known. */
    public record IssuedKey(String id, String tenant, String key, Instant created) {
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Table<KeyHash, StoredApiKey> byHash;
    private final Table<TenantKey, StoredKeyList> byTenant;

    public ApiKeyStore(Table<KeyHash, StoredApiKey> byHash, Table<TenantKey, StoredKeyList> byTenant) {
        this.byHash = byHash;
        this.byTenant = byTenant;
    }

    public IssuedKey issue(String tenant) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "cpk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = sha256(key);
        ApiKey stored = keep(tenant, new ListedKey(hash.substring(0, 12), hash, System.currentTimeMillis()));
        return new IssuedKey(stored.id(), tenant, key, stored.created());
    }

    /** Keeps a key issued before (an import), known by its hash only. */
    public ApiKey keep(String tenant, ListedKey key) {
        ConditionalUpdate.apply(byTenant, new TenantKey(tenant), current -> {
            List<ListedKey> keys = new ArrayList<>(listed(current));
            if (keys.stream().anyMatch(k -> k.sha256().equals(key.sha256()))) {
                return current;
            }
            keys.add(key);
            return Optional.of(StoredKeyList.of(keys));
        });
        byHash.put(new KeyHash(key.sha256()), new StoredApiKey(key.id(), tenant, key.createdMs()));
        return new ApiKey(key.id(), tenant, Instant.ofEpochMilli(key.createdMs()));
    }

    /** The tenant key this secret is, if any. */
    public Optional<ApiKey> resolve(String presented) {
        return Optional.ofNullable(byHash.get(new KeyHash(sha256(presented))))
                .map(k -> new ApiKey(k.id(), k.tenant(), Instant.ofEpochMilli(k.createdMs())));
    }

    /** The tenant's keys, oldest first. */
    public List<ApiKey> of(String tenant) {
        return listed(Optional.ofNullable(byTenant.get(new TenantKey(tenant)))).stream()
                .sorted(Comparator.comparingLong(ListedKey::createdMs))
                .map(k -> new ApiKey(k.id(), tenant, Instant.ofEpochMilli(k.createdMs())))
                .toList();
    }

    public boolean revoke(String tenant, String id) {
        AtomicReference<ListedKey> revoked = new AtomicReference<>();
        ConditionalUpdate.apply(byTenant, new TenantKey(tenant), current -> {
            revoked.set(null);
            List<ListedKey> keys = new ArrayList<>(listed(current));
            for (ListedKey key : keys) {
                if (key.id().equals(id)) {
                    revoked.set(key);
                    keys.remove(key);
                    return keys.isEmpty() ? Optional.empty() : Optional.of(StoredKeyList.of(keys));
                }
            }
            return current;
        });
        if (revoked.get() == null) {
            return false;
        }
        byHash.remove(new KeyHash(revoked.get().sha256()));
        return true;
    }

    /** Tells {@code listener} the SHA-256 of every key revoked, on any node (on a cache thread: hand work on). */
    public AutoCloseable whenRevoked(Consumer<String> listener) {
        return byHash.watch((hash, key) -> {
            if (key == null) {
                listener.accept(hash.sha256());
            }
        });
    }

    public void revokeAll(String tenant) {
        StoredKeyList keys = byTenant.remove(new TenantKey(tenant));
        if (keys != null) {
            keys.keys().forEach(k -> byHash.remove(new KeyHash(k.sha256())));
        }
    }

    private static List<ListedKey> listed(Optional<StoredKeyList> value) {
        return value.map(StoredKeyList::keys).orElse(List.of());
    }

    public static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
