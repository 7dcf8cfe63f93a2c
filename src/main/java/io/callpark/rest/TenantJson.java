package io.callpark.rest;

import io.callpark.store.ApiKeyStore.ApiKey;
import io.callpark.store.ApiKeyStore.IssuedKey;
import io.callpark.store.TenantStore.Tenant;
import io.callpark.tenant.TenantSettings;
import jakarta.json.JsonObject;
import jakarta.json.spi.JsonProvider;

/** The API's JSON for tenants, their settings and keys: the same field names a client sends. */
final class TenantJson {

    /** Looked up once: {@code Json.createX} looks the provider up with a ServiceLoader on every call. */
    private static final JsonProvider JSON = JsonProvider.provider();

    private TenantJson() {
    }

    static JsonObject settings(TenantSettings s) {
        return JSON.createObjectBuilder()
                .add("recallTime", s.recallTime())
                .add("recallDestination", s.recallDestination().json())
                .add("ringGroup", s.ringGroup())
                .add("ringGroupWait", s.ringGroupWait())
                .add("retryInterval", s.retryInterval())
                .add("recallRingTime", s.recallRingTime())
                .add("recallAttempts", s.recallAttempts())
                .add("recallFinal", s.recallFinal())
                .add("callsPerExtension", s.callsPerExtension())
                .add("featureCodes", JSON.createObjectBuilder()
                        .add("park", s.featureCodes().park())
                        .add("retrieve", s.featureCodes().retrieve())
                        .add("groupPark", s.featureCodes().groupPark()))
                .add("dtmfReturnKey", s.dtmfReturnKey())
                .add("callsPerUser", s.callsPerUser())
                .add("callsPerTenant", s.callsPerTenant())
                .build();
    }

    static JsonObject tenant(Tenant t) {
        return JSON.createObjectBuilder()
                .add("domain", t.domain())
                .add("created", t.created().toString())
                .add("updated", t.updated().toString())
                .add("settings", settings(t.settings()))
                .build();
    }

    static JsonObject key(ApiKey k) {
        return JSON.createObjectBuilder().add("id", k.id()).add("tenant", k.tenant())
                .add("created", k.created().toString()).build();
    }

    static JsonObject issued(IssuedKey k) {
        return JSON.createObjectBuilder().add("id", k.id()).add("tenant", k.tenant()).add("key", k.key())
                .add("created", k.created().toString()).build();
    }
}
