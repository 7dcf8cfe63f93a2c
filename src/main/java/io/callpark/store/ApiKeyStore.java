package io.callpark.store;

import org.infinispan.Cache;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Per-tenant API keys. Only a SHA-256 of each key is stored (key {@code apikey:<hash>}): the key itself is shown
 * once, when it is issued, and a leaked cache does not give access.
 */
public final class ApiKeyStore {

    /** A stored key: its public id, its tenant, when it was issued. */
    public record ApiKey(String id, String tenant, Instant created) {
    }

    /** A key just issued: the only moment its secret is known. */
    public record IssuedKey(String id, String tenant, String key, Instant created) {
    }

    private static final String PREFIX = "apikey:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cache<String, String> settings;
    private final JsonCodec json;

    public ApiKeyStore(Cache<String, String> settings, JsonCodec json) {
        this.settings = settings;
        this.json = json;
    }

    public IssuedKey issue(String tenant) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        String key = "cpk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = sha256(key);
        ApiKey stored = new ApiKey(hash.substring(0, 12), tenant, Instant.now());
        settings.put(PREFIX + hash, json.write(stored));
        return new IssuedKey(stored.id(), tenant, key, stored.created());
    }

    /** The tenant key this secret is, if any. */
    public Optional<ApiKey> resolve(String presented) {
        return Optional.ofNullable(settings.get(PREFIX + sha256(presented))).map(v -> json.read(v, ApiKey.class));
    }

    public List<ApiKey> of(String tenant) {
        return PrefixScan.of(settings, PREFIX).stream()
                .map(e -> json.read(e.getValue(), ApiKey.class))
                .filter(k -> k.tenant().equals(tenant))
                .sorted(Comparator.comparing(ApiKey::created))
                .toList();
    }

    public boolean revoke(String tenant, String id) {
        List<String> keys = PrefixScan.of(settings, PREFIX).stream()
                .filter(e -> {
                    ApiKey k = json.read(e.getValue(), ApiKey.class);
                    return k.tenant().equals(tenant) && k.id().equals(id);
                })
                .map(java.util.Map.Entry::getKey)
                .toList();
        keys.forEach(settings::remove);
        return !keys.isEmpty();
    }

    public void revokeAll(String tenant) {
        of(tenant).forEach(k -> revoke(tenant, k.id()));
    }

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JVM", e);
        }
    }
}
