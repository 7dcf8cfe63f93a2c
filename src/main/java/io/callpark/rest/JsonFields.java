package io.callpark.rest;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads the fields of a client's JSON object, collecting every broken rule instead of stopping at the first: a
 * request is then taken whole or not at all, and the client learns everything it must fix in one answer.
 */
public final class JsonFields {

    /** An extension of a tenant: a user part, no domain (calls never leave their tenant). */
    public static final Pattern EXTENSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,31}");
    static final String EXTENSION_RULE =
            "an extension of this tenant, 1-32 letters, digits, '.', '_', '+' or '-', without a domain";

    private final JsonObject json;
    private final String prefix;
    private final List<Violation> violations;

    /** Every field not in {@code known} is a violation ({@code unknown-field}). */
    public JsonFields(JsonObject json, Set<String> known) {
        this(json, known, "", new ArrayList<>());
    }

    private JsonFields(JsonObject json, Set<String> known, String prefix, List<Violation> violations) {
        this.json = json;
        this.prefix = prefix;
        this.violations = violations;
        json.keySet().stream().filter(k -> !known.contains(k)).sorted().forEach(k -> violations.add(
                new Violation(prefix + k, "unknown-field", "not a field here; known: " + String.join(", ",
                        known.stream().sorted().toList()))));
    }

    public Set<String> keys() {
        return json.keySet();
    }

    public boolean has(String field) {
        return json.containsKey(field);
    }

    /** The fields of a nested object, reporting into the same list under {@code field.}; empty if absent or no object. */
    public Optional<JsonFields> object(String field, Set<String> known, String rule) {
        JsonValue value = json.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonObject nested)) {
            violation(field, "type", "must be an object: " + rule);
            return Optional.empty();
        }
        return Optional.of(new JsonFields(nested, known, prefix + field + ".", violations));
    }

    public Optional<String> string(String field, boolean required, String rule) {
        JsonValue value = json.get(field);
        if (value == null) {
            if (required) {
                violation(field, "required", "must be given: " + rule);
            }
            return Optional.empty();
        }
        if (!(value instanceof JsonString s)) {
            violation(field, "type", "must be a string: " + rule);
            return Optional.empty();
        }
        return Optional.of(s.getString());
    }

    /** A string that must match {@code pattern}; empty when absent or broken. */
    public Optional<String> matching(String field, boolean required, Pattern pattern, String rule) {
        return string(field, required, rule).filter(v -> {
            if (pattern.matcher(v).matches()) {
                return true;
            }
            violation(field, "pattern", "must be " + rule + " (got '" + v + "')");
            return false;
        });
    }

    /** A required extension of the tenant. */
    public String extension(String field) {
        return matching(field, true, EXTENSION, EXTENSION_RULE).orElse("");
    }

    public int integer(String field, int fallback, int min, int max) {
        JsonValue value = json.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            violation(field, "type", "must be a whole number from " + min + " to " + max);
            return fallback;
        }
        long n = number.longValue();
        if (n < min || n > max || !number.bigDecimalValue().equals(BigDecimal.valueOf(n))) {
            violation(field, "range", "must be from " + min + " to " + max + " (got " + number + ")");
            return fallback;
        }
        return (int) n;
    }

    /** An array of strings; empty when absent or broken. */
    public Optional<List<String>> strings(String field, String rule) {
        JsonValue value = json.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY
                || !value.asJsonArray().stream().allMatch(v -> v instanceof JsonString)) {
            violation(field, "type", "must be an array of strings: " + rule);
            return Optional.empty();
        }
        return Optional.of(value.asJsonArray().stream().map(v -> ((JsonString) v).getString()).toList());
    }

    public void violation(String field, String rule, String detail) {
        violations.add(new Violation(prefix + field, rule, detail));
    }

    public boolean broken(String field) {
        return violations.stream().anyMatch(v -> v.field().equals(prefix + field));
    }

    public List<Violation> violations() {
        return List.copyOf(violations);
    }
}
