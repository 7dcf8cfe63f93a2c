package io.callpark.park;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureCodesTest {

    @Test
    void distinctCodesNoneTheStartOfAnotherCanBeToldApart() {
        assertTrue(new FeatureCodes("*68", "*88", "*58").ambiguity().isEmpty());
        assertTrue(new FeatureCodes("*7", "*8", "*9").ambiguity().isEmpty());
    }

    @Test
    void equalCodesOrACodeThatStartsAnotherAreAmbiguous() {
        assertEquals("park, retrieve and group park codes must differ (*68 twice)",
                new FeatureCodes("*68", "*68", "*58").ambiguity().orElseThrow());
        assertEquals("code *6 is the start of code *68",
                new FeatureCodes("*68", "*6", "*58").ambiguity().orElseThrow());
    }
}
