package io.callpark.rest;

import io.callpark.tenant.ParkingLot;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LotReaderTest {

    private static LotReader.Result read(String json, Optional<String> current) {
        JsonObject object = Json.createReader(new StringReader(json)).readObject();
        return LotReader.read(object, current);
    }

    private static LotReader.Result create(String json) {
        return read(json, Optional.empty());
    }

    private static List<String> named(LotReader.Result r) {
        return r.violations().stream().map(v -> v.field() + ":" + v.rule()).toList();
    }

    @Test
    void aLotIsANamedRangeWithAnOptionalCode() {
        LotReader.Result r = create("{\"name\": \"main\", \"first\": 701, \"last\": 720, \"code\": \"700\"}");
        assertTrue(r.valid(), r.violations().toString());
        assertEquals(new ParkingLot("main", 701, 720, "700"), r.lot());
        assertEquals(new ParkingLot("one", 5, 5, ""), create("{\"name\": \"one\", \"first\": 5, \"last\": 5}").lot(),
                "a code left out is none");
        assertEquals("", create("{\"name\": \"one\", \"first\": 5, \"last\": 5, \"code\": \"\"}").lot().code(),
                "an empty code is none");
        assertEquals(new ParkingLot("a", 1, 200, ""), create("{\"name\": \"a\", \"first\": 1, \"last\": 200}").lot(),
                "at most 200 slots");
        assertTrue(create("{\"name\": \"top\", \"first\": 99999800, \"last\": 99999999}").valid());
    }

    @Test
    void aReplacementKeepsTheNameOrRenames() {
        assertEquals("main", read("{\"first\": 1, \"last\": 2}", Optional.of("main")).lot().name());
        assertEquals("front", read("{\"name\": \"front\", \"first\": 1, \"last\": 2}", Optional.of("main")).lot()
                .name());
        assertEquals(List.of("name:required"), named(create("{\"first\": 1, \"last\": 2}")));
    }

    @Test
    void everyBrokenRuleIsNamedAndNothingIsTaken() {
        LotReader.Result r = create("{\"name\": \"front desk!\", \"first\": 0, \"last\": \"720\", \"code\": \"*7\","
                + " \"slots\": 20, \"colour\": 1}");
        assertFalse(r.valid());
        assertNull(r.lot());
        assertEquals(List.of("colour:unknown-field", "slots:unknown-field", "name:pattern", "first:range",
                "last:type", "code:pattern"), named(r));
        assertEquals(List.of("name:required", "first:required", "last:required"), named(create("{}")));
        assertEquals(List.of("first:range", "last:range"),
                named(create("{\"name\": \"a\", \"first\": 100000000, \"last\": -1}")));
        assertEquals(List.of("first:type"), named(create("{\"name\": \"a\", \"first\": 1.5, \"last\": 2}")));
        assertEquals(List.of("code:type"), named(create("{\"name\": \"a\", \"first\": 1, \"last\": 2, \"code\": 7}")));
        assertEquals(List.of("code:pattern"),
                named(create("{\"name\": \"a\", \"first\": 1, \"last\": 2, \"code\": \"123456789\"}")));
    }

    @Test
    void theRangeIsOrderedAndSmallAndTheCodeIsNoneOfItsSlots() {
        assertEquals(List.of("last:order"), named(create("{\"name\": \"a\", \"first\": 720, \"last\": 701}")));
        assertEquals(List.of("last:size"), named(create("{\"name\": \"a\", \"first\": 1, \"last\": 201}")));
        assertEquals(List.of("code:own-slot"),
                named(create("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"code\": \"710\"}")));
        assertTrue(create("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"code\": \"0710\"}").valid(),
                "0710 is dialled as written: no slot of 701-720");
        assertTrue(create("{\"name\": \"a\", \"first\": 701, \"last\": 720, \"code\": \"721\"}").valid());
    }
}
