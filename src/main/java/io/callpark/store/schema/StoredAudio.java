package io.callpark.store.schema;

import org.infinispan.protostream.annotations.ProtoField;

/**
 * A tenant's hold music as played: 8 kHz mono G.711 mu-law samples (one byte each: 4.8 MB for the longest, ten
 * minutes), and the SHA-256 of the upload they came from.
 */
public record StoredAudio(@ProtoField(1) String sha256, @ProtoField(2) byte[] ulaw) {

    /** The samples by their length and hash: a log line or a test failure needs no megabytes. */
    @Override
    public String toString() {
        return "StoredAudio[sha256=" + sha256 + ", ulaw=" + ulaw.length + " bytes, hash "
                + java.util.Arrays.hashCode(ulaw) + "]";
    }
}
