package io.callpark.rest;

import io.callpark.tenant.TenantSettings;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsReaderTest {

    private static final TenantSettings DEFAULTS = TenantSettings.defaults(
            new io.callpark.park.ParkLimits(10, 50, 500), new io.callpark.park.FeatureCodes("*68", "*88", "*58"));

    private static SettingsReader.Result read(String json) {
        JsonObject object = Json.createReader(new StringReader(json)).readObject();
        return SettingsReader.read(object, DEFAULTS);
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
    void aMusicFileIsRefusedWithTheSameAnswerWhateverThePath() {
        List<String> details = new java.util.ArrayList<>();
        for (String path : List.of("music.wav", "/etc/passwd", "/nonexistent/hold.wav", "")) {
            SettingsReader.Result r = read(Json.createObjectBuilder().add("musicFile", path).build().toString());
            assertFalse(r.valid(), path);
            assertEquals(1, r.violations().size(), path);
            Violation v = r.violations().get(0);
            assertEquals("musicFile:upload-instead", v.field() + ":" + v.rule(), path);
            assertTrue(v.detail().contains("PUT /tenants/{domain}/music"), v.detail());
            details.add(v.detail());
        }
        assertEquals(1, details.stream().distinct().count(), "one answer, whether a file exists or not: " + details);
    }
}
