package io.callpark.media;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * The hold music of this node: the node's own, and the tenants' files, each read and encoded once and then shared
 * by every call that plays it. Holds at most {@link #MAX_FILES} tenant files (the least recently opened goes);
 * a file that cannot be read is logged and the node's music plays instead, so no caller waits in silence.
 */
final class MusicLibrary {

    private static final Logger LOG = Logger.getLogger(MusicLibrary.class.getName());
    static final int MAX_FILES = 32;

    private final HoldMusic nodeMusic;
    private final Map<String, HoldMusic> files = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, HoldMusic> eldest) {
            return size() > MAX_FILES;
        }
    };

    MusicLibrary(HoldMusic nodeMusic) {
        this.nodeMusic = nodeMusic;
    }

    /** The music of a tenant's file, or the node's when it names none or it cannot be played. */
    HoldMusic of(Optional<String> file) {
        if (file.isEmpty()) {
            return nodeMusic;
        }
        synchronized (files) {
            HoldMusic cached = files.get(file.get());
            if (cached != null) {
                return cached;
            }
        }
        try {
            HoldMusic loaded = HoldMusic.fromWav(Path.of(file.get()));
            synchronized (files) {
                files.put(file.get(), loaded);
            }
            LOG.info("hold music " + file.get() + " loaded: " + loaded.frameCount() / 50 + " s");
            return loaded;
        } catch (IOException | RuntimeException e) {
            LOG.warning("hold music " + file.get() + " cannot be played here, the node's music plays instead: "
                    + e.getMessage());
            return nodeMusic;
        }
    }
}
