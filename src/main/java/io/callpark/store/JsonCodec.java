package io.callpark.store;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

/**
 * Values in the replicated caches are JSON strings: the cache needs no schema registration, a redeployed WAR
 * reads what the old one wrote, and {@code replace(key, expected, next)} compares plain strings.
 */
public final class JsonCodec implements AutoCloseable {

    private final Jsonb jsonb = JsonbBuilder.create();

    public String write(Object value) {
        return jsonb.toJson(value);
    }

    public <T> T read(String json, Class<T> type) {
        return jsonb.fromJson(json, type);
    }

    @Override
    public void close() throws Exception {
        jsonb.close();
    }
}
