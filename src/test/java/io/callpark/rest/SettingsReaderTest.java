package io.callpark.rest;

import io.callpark.tenant.TenantSettings;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReaderTest {

    private static final TenantSettings DEFAULTS = TenantSettings.defaults(
            new io.callpark.park.ParkLimits(10, 50, 500), new io.callpark.park.FeatureCodes("*68", "*88", "*58"));
    private static final Function<Path, Optional<String>> EVERY_FILE_PLAYS = p -> Optional.empty();

    private static SettingsReader.Result read(String json) {
        JsonObject object = Json.createReader(new StringReader(json)).readObject();
        return SettingsReader.read(object, DEFAULTS, EVERY_FILE_PLAYS);
    }

    @Test
    void fieldsLeftOutKeepTheBase() {
        SettingsReader.Result r = read("{\"recallTime\": 45}");
        assertTrue(r.valid(), r.violations().toString());
        assertEquals(45, r.settings().recallTime());
        assertEquals(DEFAULTS.retryInterval(), r.settings().retryInterval());
        assertEquals(DEFAULTS.featureCodes(), r.settings().featureCodes());
    }

    @Test
    void everyBrokenRuleIsNamedAndNothingIsTaken() {
        SettingsReader.Result r = read("{\"recallTime\": 5, \"retryInterval\": \"x\", \"colour\": 1,"
                + " \"featureCodes\": {\"park\": \"*88\"}}");
        assertFalse(r.valid());
        assertNull(r.settings());
        List<String> named = r.violations().stream().map(v -> v.field() + ":" + v.rule()).toList();
        assertEquals(List.of("colour:unknown-field", "recallTime:range", "retryInterval:type",
                "featureCodes:distinct"), named);
    }

    @Test
    void ringGroupDestinationsNeedARingGroup() {
        assertEquals("ringGroup:required", read("{\"recallDestination\": \"ring-group\"}").violations().stream()
                .map(v -> v.field() + ":" + v.rule()).findFirst().orElse(""));
        assertTrue(read("{\"recallDestination\": \"ring-group\", \"ringGroup\": \"desk\"}").valid());
    }

    @Test
    void unplayableOrRelativeMusicIsRefused() {
        JsonObject relative = Json.createObjectBuilder().add("musicFile", "music.wav").build();
        assertEquals("absolute-path", SettingsReader.read(relative, DEFAULTS, EVERY_FILE_PLAYS).violations()
                .get(0).rule());
        JsonObject broken = Json.createObjectBuilder().add("musicFile", "/tmp/x.wav").build();
        assertEquals("playable", SettingsReader.read(broken, DEFAULTS, p -> Optional.of("not a WAV file"))
                .violations().get(0).rule());
    }
}
