package io.callpark.media;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The node's hold music per tenant: the upload decoded once per SHA-256, the node's music otherwise. */
class MusicLibraryTest {

    private final HoldMusic nodeMusic = HoldMusic.of(DefaultMelody.render());
    private final Map<String, UploadedMusic> uploads = new HashMap<>();
    private final AtomicInteger fetched = new AtomicInteger();
    private final MusicLibrary library = new MusicLibrary(nodeMusic, t -> Optional.ofNullable(uploads.get(t)));

    private void upload(String tenant, String sha256, int seconds) {
        byte[] ulaw = new byte[8000 * seconds];
        java.util.Arrays.fill(ulaw, (byte) sha256.hashCode());
        uploads.put(tenant, new UploadedMusic(sha256, () -> {
            fetched.incrementAndGet();
            return Optional.of(ulaw);
        }));
    }

    @Test
    void aTenantWithoutAnUploadHearsTheNodesMusic() {
        assertSame(nodeMusic, library.of("acme.test"));
    }

    @Test
    void anUploadIsFetchedAndDecodedOnceForEveryPark() {
        upload("acme.test", "a".repeat(64), 2);
        HoldMusic first = library.of("acme.test");
        assertNotSame(nodeMusic, first);
        assertEquals(100, first.frameCount());
        assertSame(first, library.of("acme.test"), "the next park shares the decoded music");
        assertEquals(1, fetched.get(), "the samples were read from the cluster once");

        upload("acme.test", "b".repeat(64), 3);
        assertEquals(150, library.of("acme.test").frameCount(), "a new upload (new SHA-256) is decoded anew");
        assertEquals(2, fetched.get());
    }

    @Test
    void anUploadReplacedMeanwhileOrUnreadablePlaysTheNodesMusic() {
        uploads.put("acme.test", new UploadedMusic("c".repeat(64), Optional::empty));
        assertSame(nodeMusic, library.of("acme.test"));
        uploads.put("acme.test", new UploadedMusic("d".repeat(64), () -> Optional.of(new byte[10])));
        assertSame(nodeMusic, library.of("acme.test"), "shorter than a frame");
        MusicLibrary failing = new MusicLibrary(nodeMusic, t -> {
            throw new IllegalStateException("store down");
        });
        assertSame(nodeMusic, failing.of("acme.test"));
    }

    @Test
    void theDecodedUploadsStayWithinTheirBound() {
        for (int i = 0; i < 12; i++) {
            upload("t" + i + ".test", Integer.toString(i).repeat(64), 600);
            library.of("t" + i + ".test");
        }
        assertTrue(library.decodedBytes() <= MusicLibrary.MAX_DECODED_BYTES, library.decodedBytes() + " bytes");
        assertTrue(library.decodedBytes() >= 9_600_000, "the newest stays");
    }
}
