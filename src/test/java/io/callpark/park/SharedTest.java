package io.callpark.park;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedTest {

    /** As two requests, or a request and another node's record, give them: equal text, different objects. */
    private static String fresh(String text) {
        return new String(text.toCharArray());
    }

    @Test
    void twoParkedCallsOfOneExtensionHoldOneCopyOfWhatTheyHaveInCommon() {
        ParkedCall first = parkedAt103(fresh("acme.test"), fresh("<sip:127.0.0.1:5060;lr>"), "call-1");
        ParkedCall second = parkedAt103(fresh("acme.test"), fresh("<sip:127.0.0.1:5060;lr>"), "call-2");

        assertSame(first.tenant(), second.tenant());
        assertSame(first.extension(), second.extension());
        assertSame(first.notifyTargets(), second.notifyTargets());
        assertSame(first.leg().routeSet(), second.leg().routeSet());
        assertSame(first.leg().localParty(), second.leg().localParty());
        assertSame(first.media().codecs(), second.media().codecs());
        assertSame(first.media().node(), second.media().node());
        assertSame(first.parker().uri(), second.parker().uri());
        assertSame(first.parkId(), second.parkId(), "the same park id, taken again after the first call left");
        assertSame(first.streamKey(), second.streamKey());
        assertSame(first.streamKey(), ParkedCall.streamKey(fresh("acme.test"), fresh("7")),
                "the key its music stream is opened with, before the call is stored");
        assertNotSame(first.callId(), second.callId());
    }

    @Test
    void sharedListsAreEqualUnmodifiableCopies() {
        List<String> mutable = new ArrayList<>(List.of(fresh("<sip:a;lr>"), fresh("<sip:b;lr>")));
        List<String> shared = Shared.texts(mutable);
        mutable.clear();

        assertEquals(List.of("<sip:a;lr>", "<sip:b;lr>"), shared);
        assertThrows(UnsupportedOperationException.class, () -> shared.add("x"));
        assertSame(shared, Shared.texts(List.of("<sip:a;lr>", "<sip:b;lr>")));
        assertNull(Shared.text(null));
    }

    @Test
    void aFloodOfDistinctListsKeepsNoMoreThanTheBound() {
        for (int i = 0; i < 3 * Shared.MAX_VALUES; i++) {
            assertEquals(List.of(-1, i), Shared.list(List.of(-1, i)));
            assertTrue(Shared.valuesKept() <= Shared.MAX_VALUES);
        }
        assertSame(Shared.list(List.of(-2, 1)), Shared.list(List.of(-2, 1)), "and lists are shared again after it");
    }

    private static ParkedCall parkedAt103(String tenant, String route, String callId) {
        DialogLeg leg = new DialogLeg(fresh(callId), "ours-" + callId, "theirs-" + callId,
                fresh("<sip:*68103@acme.test>"), "<sip:carol@acme.test>", "sip:carol@127.0.0.5:5070",
                List.of(route), 1, 1, 1, 0);
        MediaBinding media = new MediaBinding(fresh("node1"), 20000, fresh("127.0.0.5"), 40000,
                new ArrayList<>(List.of(0, 8)), 101, MediaDirection.SENDRECV);
        return new ParkedCall(fresh("7"), tenant, fresh("103"), new Party(fresh("sip:101@acme.test"), ""),
                new Party("sip:carol@acme.test", "Carol"), 0, ParkState.PARKED, null, null, leg, media,
                List.of(ParkedCall.extensionUri(fresh("103"), tenant)), RecallState.NONE, false);
    }
}
