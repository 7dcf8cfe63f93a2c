package io.callpark.rest;

import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import jakarta.json.spi.JsonProvider;

import java.io.StringReader;

/** Reads a request body that must be one JSON object; anything else is a 400 that says why. */
final class JsonBody {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private static final int MAX_LENGTH = 64 * 1024;

    private JsonBody() {
    }

    static JsonObject object(String body) {
        if (body == null || body.isBlank()) {
            return JsonValue.EMPTY_JSON_OBJECT;
        }
        if (body.length() > MAX_LENGTH) {
            throw ProblemException.badRequest("body-too-large", "the body may have at most " + MAX_LENGTH
                    + " characters");
        }
        try (JsonReader reader = JSON.createReader(new StringReader(body))) {
            JsonValue value = reader.readValue();
            if (!(value instanceof JsonObject object)) {
                throw ProblemException.badRequest("not-an-object", "the body must be a JSON object, not "
                        + value.getValueType().name().toLowerCase());
            }
            return object;
        } catch (JsonException e) {
            throw ProblemException.badRequest("malformed-json", "the body is not valid JSON: " + e.getMessage());
        }
    }
}
