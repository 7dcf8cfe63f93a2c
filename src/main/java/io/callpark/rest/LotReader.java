package io.callpark.rest;

import io.callpark.tenant.ParkingLot;

import jakarta.json.JsonObject;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a client's JSON parking lot into a {@link ParkingLot}, or into every rule it breaks. A lot is always sent
 * whole: {@code first} and {@code last} are required, a {@code code} left out is none, and {@code name} is required
 * when creating (when replacing, one left out keeps the lot's name, one sent renames it).
 */
public final class LotReader {

    static final Set<String> FIELDS = Set.of("name", "first", "last", "code");
    static final String NAME_RULE = "1-32 letters, digits, '.', '_' or '-'";
    static final String CODE_RULE = "1-8 digits, or empty for none";

    /** The outcome: the lot when {@code violations} is empty. */
    public record Result(ParkingLot lot, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private LotReader() {
    }

    /**
     * @param json    the body
     * @param current the name of the lot it replaces, or empty for a new lot
     */
    public static Result read(JsonObject json, Optional<String> current) {
        JsonFields fields = new JsonFields(json, FIELDS);
        Optional<String> name = fields.matching("name", current.isEmpty(), ParkingLot.NAME, NAME_RULE)
                .or(() -> current);
        int first = slotNumber(fields, "first");
        int last = slotNumber(fields, "last");
        if (first > 0 && last > 0) {
            if (first > last) {
                fields.violation("last", "order", "must be at least first (" + first + "; got " + last + ")");
            } else if (last - first + 1 > ParkingLot.MAX_SLOTS) {
                fields.violation("last", "size", "a lot has at most " + ParkingLot.MAX_SLOTS + " slots ("
                        + first + "-" + last + " are " + (last - first + 1) + ")");
            }
        }
        String code = fields.string("code", false, CODE_RULE).orElse("");
        if (!code.isEmpty()) {
            if (!ParkingLot.CODE.matcher(code).matches()) {
                fields.violation("code", "pattern", "must be " + CODE_RULE + " (got '" + code + "')");
            } else if (first > 0 && last > 0 && new ParkingLot("", first, last, "").hasSlot(code)) {
                fields.violation("code", "own-slot", code + " is a slot of the lot (" + first + "-" + last
                        + "); dialled, it takes back the call waiting there");
            }
        }
        List<Violation> violations = fields.violations();
        return new Result(violations.isEmpty() ? new ParkingLot(name.orElseThrow(), first, last, code) : null,
                violations);
    }

    /** A required slot number, 1 to {@link ParkingLot#MAX_SLOT_NUMBER}; 0 when absent or broken. */
    private static int slotNumber(JsonFields fields, String field) {
        if (!fields.has(field)) {
            fields.violation(field, "required", "must be given: a slot number from 1 to "
                    + ParkingLot.MAX_SLOT_NUMBER);
            return 0;
        }
        return fields.integer(field, 0, 1, ParkingLot.MAX_SLOT_NUMBER);
    }
}
