package io.callpark.park;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DialogTagTest {

    @Test
    void aParkedCallersTagNamesTheCall() {
        String tag = DialogTag.ofParkedCall("acme.test", "123456");
        assertEquals(Optional.of(new DialogTag.ParkRef("acme.test", "123456")), DialogTag.parkedCall(tag));
        assertEquals(Optional.empty(), DialogTag.bridge(tag), "it names no bridge");
        assertTrue(tag.matches("[A-Za-z0-9._-]+"), "RFC 3261 token characters only: " + tag);
        assertNotEquals(tag, DialogTag.ofParkedCall("acme.test", "123456"), "every dialog gets a tag of its own");
    }

    @Test
    void theOtherLegOfABridgeNamesTheBridge() {
        String bridgeId = DialogTag.ofParkedCall("acme.test", "123456");
        String tag = DialogTag.ofBridge(bridgeId);
        assertEquals(Optional.of(bridgeId), DialogTag.bridge(tag));
        assertEquals(Optional.empty(), DialogTag.parkedCall(tag), "it names no parked call");
        assertTrue(tag.matches("[A-Za-z0-9._-]+"), "RFC 3261 token characters only: " + tag);
    }

    @Test
    void otherTagsNameNothing() {
        for (String tag : new String[] {null, "", "p", "p.", "pabc", "1a2b3c4d", "p!!!.12", "pYWNtZS50ZXN0.1",
                "pL2FiYw.1", "pYWNtZS50ZXN0Lw.1", "b.1", "b!!.1"}) {
            assertEquals(Optional.empty(), DialogTag.parkedCall(tag), String.valueOf(tag));
            assertEquals(Optional.empty(), DialogTag.bridge(tag), String.valueOf(tag));
        }
    }
}
