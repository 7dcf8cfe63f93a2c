package io.callpark.media;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.logging.Logger;

/**
 * The hold music of this node: the built-in (or operator's) music, and the tenants' uploads, each decoded once per
 * node and then shared by every call that plays it, keyed by its SHA-256 so that a park costs no decoding. Holds at
 * most {@link #MAX_DECODED_BYTES} of decoded uploads (the least recently played go first; a call playing one keeps
 * it); an upload that cannot be played is logged and the node's music plays instead, so no caller waits in silence.
 */
final class MusicLibrary {

    private static final Logger LOG = Logger.getLogger(MusicLibrary.class.getName());
    /** Six uploads of the longest (ten minutes: 4.8 MB in each law), or fifty of a minute. */
    static final long MAX_DECODED_BYTES = 64L * 1024 * 1024;

    private final HoldMusic nodeMusic;
    private final Function<String, Optional<UploadedMusic>> uploads;
    /** By SHA-256, least recently played first. */
    private final Map<String, HoldMusic> decoded = new LinkedHashMap<>(16, 0.75f, true);
    private long decodedBytes;

    /** @param uploads a tenant's uploaded music, if it has any */
    MusicLibrary(HoldMusic nodeMusic, Function<String, Optional<UploadedMusic>> uploads) {
        this.nodeMusic = nodeMusic;
        this.uploads = uploads;
    }

    /** The music a parked caller of {@code tenant} hears: its upload, or the node's. */
    HoldMusic of(String tenant) {
        Optional<UploadedMusic> upload;
        try {
            upload = uploads.apply(tenant);
        } catch (RuntimeException e) {
            LOG.warning("tenant " + tenant + ": its hold music cannot be looked up, the node's music plays: " + e);
            return nodeMusic;
        }
        if (upload.isEmpty()) {
            return nodeMusic;
        }
        String sha256 = upload.get().sha256();
        synchronized (decoded) {
            HoldMusic cached = decoded.get(sha256);
            if (cached != null) {
                return cached;
            }
        }
        try {
            Optional<byte[]> ulaw = upload.get().ulaw().get();
            if (ulaw.isEmpty()) {
                return nodeMusic; // replaced or removed while we looked: the next park finds the new one
            }
            HoldMusic music = HoldMusic.ofUlaw(ulaw.get());
            synchronized (decoded) {
                keep(sha256, music);
            }
            LOG.info("tenant " + tenant + ": uploaded hold music " + sha256.substring(0, 12) + " decoded: "
                    + music.frameCount() / 50 + " s");
            return music;
        } catch (RuntimeException e) {
            LOG.warning("tenant " + tenant + ": uploaded hold music " + sha256.substring(0, 12)
                    + " cannot be played, the node's music plays instead: " + e.getMessage());
            return nodeMusic;
        }
    }

    private void keep(String sha256, HoldMusic music) {
        HoldMusic before = decoded.put(sha256, music);
        decodedBytes += music.bytes() - (before == null ? 0 : before.bytes());
        var eldest = decoded.entrySet().iterator();
        while (decodedBytes > MAX_DECODED_BYTES && decoded.size() > 1) {
            decodedBytes -= eldest.next().getValue().bytes();
            eldest.remove();
        }
    }

    long decodedBytes() {
        synchronized (decoded) {
            return decodedBytes;
        }
    }
}
