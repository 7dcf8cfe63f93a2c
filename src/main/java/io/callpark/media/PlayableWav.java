package io.callpark.media;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Checks a music file a tenant names before it is accepted: it must be here and play. */
public final class PlayableWav {

    static final int MAX_SECONDS = 600;

    private PlayableWav() {
    }

    /** Why the file cannot be played on this node; empty when it can. */
    public static Optional<String> problem(Path file) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file)) {
            return Optional.of("no readable file " + file + " on this node");
        }
        try {
            int seconds = HoldMusic.fromWav(file).frameCount() / 50;
            if (seconds > MAX_SECONDS) {
                return Optional.of("the music lasts " + seconds + " s; at most " + MAX_SECONDS + " s (it is held"
                        + " in memory, encoded)");
            }
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            return Optional.of("not a playable WAV file: " + e.getMessage());
        }
    }
}
