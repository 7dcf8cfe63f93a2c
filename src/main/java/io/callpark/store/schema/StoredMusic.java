package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/**
 * What a tenant uploaded as its hold music (the {@code hold-music} cache; the samples are in {@code hold-music-audio}
 * under the same tenant, so a park reads these few fields only).
 *
 * @param sha256        of the uploaded file (hex); names the samples a node decoded
 * @param uploadedBytes the size of the uploaded file
 * @param lengthMs      how long the music plays before it loops
 * @param original      the uploaded encoding, rate, size and channels, e.g. {@code PCM_SIGNED 44100 Hz 16 bit stereo}
 * @param uploadedMs    when (epoch milliseconds)
 */
public record StoredMusic(@ProtoField(1) String sha256,
                          @ProtoField(number = 2, defaultValue = "0") int uploadedBytes,
                          @ProtoField(number = 3, defaultValue = "0") long lengthMs,
                          @ProtoField(4) String original,
                          @ProtoField(number = 5, defaultValue = "0") long uploadedMs) {
}
