package io.callpark.park;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FeatureCodeParserTest {

    private final FeatureCodeParser parser = new FeatureCodeParser(new FeatureCodes("*68", "*88", "*58"));

    @Test
    void parkAtExtensionOrOwn() {
        assertEquals(new FeatureRequest.Park(Optional.of("103")), parser.parse("*68103").orElseThrow());
        assertEquals(new FeatureRequest.Park(Optional.empty()), parser.parse("*68").orElseThrow());
        assertEquals(new FeatureRequest.Park(Optional.of("103")), parser.parse("%2A68103").orElseThrow());
    }

    @Test
    void retrieveOwnExtensionOrParkId() {
        assertEquals(new FeatureRequest.Retrieve(Optional.empty(), Optional.empty()), parser.parse("*88").orElseThrow());
        assertEquals(new FeatureRequest.Retrieve(Optional.of("103"), Optional.empty()),
                parser.parse("*88103").orElseThrow());
        assertEquals(new FeatureRequest.Retrieve(Optional.empty(), Optional.of("482913")),
                parser.parse("*88*482913").orElseThrow());
    }

    @Test
    void groupParkTakesNothingAfterTheCode() {
        assertInstanceOf(FeatureRequest.GroupPark.class, parser.parse("*58").orElseThrow());
        assertInstanceOf(FeatureRequest.Malformed.class, parser.parse("*58123").orElseThrow());
    }

    @Test
    void garbageAfterACodeIsMalformedAndOtherUsersAreNotCodes() {
        assertInstanceOf(FeatureRequest.Malformed.class, parser.parse("*68<103>").orElseThrow());
        assertInstanceOf(FeatureRequest.Malformed.class, parser.parse("*88*12").orElseThrow());
        assertTrue(parser.parse("103").isEmpty());
        assertTrue(parser.parse(null).isEmpty());
    }

    @Test
    void configuredPrefixesAreHonoured() {
        FeatureCodeParser custom = new FeatureCodeParser(new FeatureCodes("*71", "*72", "*73"));
        assertEquals(new FeatureRequest.Park(Optional.of("200")), custom.parse("*71200").orElseThrow());
        assertTrue(custom.parse("*68200").isEmpty());
    }
}
