package io.callpark.event;

import io.callpark.park.ParkedCall;
import io.callpark.park.Party;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.spi.JsonProvider;

import java.time.Instant;

/**
 * The JSON of a park event in the REST API (SSE data and webhook body), and of a parked call. Field names are
 * documented in docs/openapi.yaml.
 */
public final class EventJson {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private EventJson() {
    }

    public static JsonObject event(String id, ParkEvent event, String retrieveCode) {
        ParkedCall call = event.call();
        JsonObjectBuilder json = JSON.createObjectBuilder()
                .add("id", id)
                .add("type", event.type().wireName())
                .add("time", event.at().toString())
                .add("tenant", call.tenant())
                .add("parkId", call.parkId())
                .add("extension", call.extension());
        event.movedFrom().ifPresent(before -> json.add("fromExtension", before.extension()));
        json.add("parker", party(call.parker()))
                .add("parked", party(call.parked()));
        event.by().ifPresent(by -> json.add("by", party(by)));
        json.add("parkedAt", Instant.ofEpochMilli(call.parkedAt()).toString())
                .add("retrieveUri", call.retrieveUri(retrieveCode));
        return json.build();
    }

    /** A parked call as the API lists it. */
    public static JsonObject call(ParkedCall call, String retrieveCode) {
        return JSON.createObjectBuilder()
                .add("parkId", call.parkId())
                .add("tenant", call.tenant())
                .add("extension", call.extension())
                .add("state", switch (call.state()) {
                    case PARKED -> "parked";
                    case RINGING -> "ringing";
                    case JOINING -> "retrieving";
                })
                .add("parker", party(call.parker()))
                .add("parked", party(call.parked()))
                .add("parkedAt", Instant.ofEpochMilli(call.parkedAt()).toString())
                .add("retrieveUri", call.retrieveUri(retrieveCode))
                .add("musicNode", call.media().node())
                .build();
    }

    private static JsonObject party(Party party) {
        return JSON.createObjectBuilder().add("uri", party.uri()).add("display", party.displayName()).build();
    }
}
