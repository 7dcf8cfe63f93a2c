package io.callpark.media;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * A tenant's uploaded hold music as a node finds it in the cluster: its SHA-256 names it, and its 8 kHz mu-law
 * samples are fetched only when this node has not decoded that music yet (empty when it was replaced meanwhile).
 */
public record UploadedMusic(String sha256, Supplier<Optional<byte[]>> ulaw) {
}
