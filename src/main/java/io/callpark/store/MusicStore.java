package io.callpark.store;

import io.callpark.store.schema.StoredAudio;
import io.callpark.store.schema.StoredMusic;
import io.callpark.store.schema.TenantKey;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * The tenants' uploaded hold music, kept by the cluster (replicated, persisted caches): every node plays it, also
 * one that joins later. The description ({@code hold-music}) is what a park reads; the samples
 * ({@code hold-music-audio}) are read only by a node that has not decoded that music yet.
 */
public final class MusicStore {

    /** A tenant's uploaded music, without its samples. */
    public record Music(String tenant, String sha256, int uploadedBytes, Duration length, String original,
                        Instant uploaded) {
    }

    private final Table<TenantKey, StoredMusic> music;
    private final Table<TenantKey, StoredAudio> audio;

    public MusicStore(Table<TenantKey, StoredMusic> music, Table<TenantKey, StoredAudio> audio) {
        this.music = music;
        this.audio = audio;
    }

    public Optional<Music> find(String tenant) {
        return Optional.ofNullable(music.get(new TenantKey(tenant))).map(m -> new Music(tenant, m.sha256(),
                m.uploadedBytes(), Duration.ofMillis(m.lengthMs()), m.original(), Instant.ofEpochMilli(m.uploadedMs())));
    }

    /** The samples of the tenant's music if they are still those of {@code sha256} (else it was replaced). */
    public Optional<byte[]> ulaw(String tenant, String sha256) {
        StoredAudio stored = audio.get(new TenantKey(tenant));
        return stored != null && stored.sha256().equals(sha256) ? Optional.of(stored.ulaw()) : Optional.empty();
    }

    /** Replaces the tenant's music: the samples first, so that a node that reads the new description finds them. */
    public Music put(String tenant, byte[] ulaw, String sha256, int uploadedBytes, Duration length, String original) {
        TenantKey key = new TenantKey(tenant);
        Instant now = Instant.ofEpochMilli(System.currentTimeMillis());
        audio.put(key, new StoredAudio(sha256, ulaw));
        music.put(key, new StoredMusic(sha256, uploadedBytes, length.toMillis(), original, now.toEpochMilli()));
        return new Music(tenant, sha256, uploadedBytes, length, original, now);
    }

    /** Back to the built-in music; false when the tenant had uploaded none. */
    public boolean delete(String tenant) {
        TenantKey key = new TenantKey(tenant);
        boolean had = music.remove(key) != null;
        audio.remove(key);
        return had;
    }
}
