package io.callpark.recall;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class GroupParkChoiceTest {

    private static final List<String> MEMBERS = List.of("101", "102", "103");

    @Test
    void theFirstAvailableMemberInOrder() {
        assertEquals("101", GroupParkChoice.extensionFor(MEMBERS, m -> true));
        assertEquals("103", GroupParkChoice.extensionFor(MEMBERS, Set.of("103", "104")::contains));
    }

    @Test
    void nobodyAvailableParksAtTheFirstMember() {
        assertEquals("101", GroupParkChoice.extensionFor(MEMBERS, m -> false));
    }
}
