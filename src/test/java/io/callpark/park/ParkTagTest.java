package io.callpark.park;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ParkTagTest {

    @Test
    void aTagNamesItsCall() {
        String tag = ParkTag.of("acme.test", "123456");
        assertEquals(Optional.of(new ParkTag.Ref("acme.test", "123456")), ParkTag.parse(tag));
        assertTrue(tag.matches("[A-Za-z0-9._-]+"), "RFC 3261 token characters only: " + tag);
        assertNotEquals(tag, ParkTag.of("acme.test", "123456"), "every dialog gets a tag of its own");
    }

    @Test
    void otherTagsNameNothing() {
        for (String tag : new String[] {null, "", "p", "p.", "pabc", "1a2b3c4d", "p!!!.12", "pYWNtZS50ZXN0.1",
                "pL2FiYw.1", "pYWNtZS50ZXN0Lw.1"}) {
            assertEquals(Optional.empty(), ParkTag.parse(tag), String.valueOf(tag));
        }
    }
}
