package io.callpark.store;

import io.callpark.park.FeatureCodes;
import io.callpark.park.ParkLimits;
import io.callpark.store.schema.StoredTenant;
import io.callpark.store.schema.TenantKey;
import io.callpark.tenant.RecallDestination;
import io.callpark.tenant.TenantSettings;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class TenantStoreTest {

    private static final FeatureCodes CODES = new FeatureCodes("*68", "*88", "*58");

    @Test
    void aTenantStoredBeforeTheUserAndTenantLimitsParksWithTheNodesDefaults() {
        MemoryTable<TenantKey, StoredTenant> table = new MemoryTable<>();
        // as the release before wrote it: fields 13 and 14 absent, read as 0
        TenantSettings old = new TenantSettings(60, RecallDestination.PARKER, "", 20, 10, 20, 3, "", 4, "", CODES,
                "", 0, 0);
        table.put(new TenantKey("acme.test"), new StoredTenant(1, "acme.test", old, 0, 0));
        TenantStore tenants = new TenantStore(table, TenantSettings.defaults(new ParkLimits(10, 50, 500), CODES));

        assertEquals(new ParkLimits(4, 50, 500), tenants.settingsOf("acme.test").limits(),
                "its own extension limit, the node's user and tenant limits");
        assertEquals(60, tenants.settingsOf("acme.test").recallTime());
    }

    /** A server path a tenant named before uploads is cleared once, with the tenant named; nothing else changes. */
    @Test
    void aLegacyMusicFileIsClearedOnceAndTold() {
        MemoryTable<TenantKey, StoredTenant> table = new MemoryTable<>();
        TenantSettings withPath = new TenantSettings(60, RecallDestination.PARKER, "", 20, 10, 20, 3, "", 4,
                "/srv/moh/acme.wav", CODES, "", 7, 70);
        table.put(new TenantKey("acme.test"), new StoredTenant(1, "acme.test", withPath, 0, 0));
        table.put(new TenantKey("globex.test"), new StoredTenant(2, "globex.test", withPath.withoutLegacyMusicFile(),
                0, 0));
        TenantStore tenants = new TenantStore(table, TenantSettings.defaults(new ParkLimits(10, 50, 500), CODES));

        java.util.Map<String, String> told = new java.util.LinkedHashMap<>();
        tenants.clearLegacyMusicFiles(told::put);
        assertEquals(java.util.Map.of("acme.test", "/srv/moh/acme.wav"), told);
        assertEquals("", tenants.settingsOf("acme.test").legacyMusicFile());
        assertEquals(new ParkLimits(4, 7, 70), tenants.settingsOf("acme.test").limits(), "the rest is kept");

        told.clear();
        tenants.clearLegacyMusicFiles(told::put);
        assertEquals(java.util.Map.of(), told, "once");
    }
}
