package io.callpark.store;

import io.callpark.store.schema.ListedKey;
import io.callpark.store.schema.StoredWebhook;
import io.callpark.tenant.Group;
import io.callpark.tenant.TenantSettings;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;

import java.time.Instant;
import java.util.List;
import java.util.logging.Logger;

/**
 * Brings the tenants, groups, API keys and webhooks of the release before typed records (JSON text in the one
 * {@code settings} cache, keys {@code tenant:}, {@code ringgroups:}, {@code parkgroups:}, {@code apikey:},
 * {@code webhooks:}) into the typed caches, once: each entry is removed from {@code settings} when it is in. Keys
 * keep their hashes and webhooks their secrets, so clients and receivers notice nothing. Parked calls of that
 * release are not carried over (drain them first).
 */
public final class LegacyImport {

    public record LegacyTenant(String domain, TenantSettings settings, Instant created, Instant updated) {
    }

    public record LegacyGroups(List<Group> groups) {
    }

    public record LegacyKey(String id, String tenant, Instant created) {
    }

    public record LegacyHook(String id, String tenant, String url, String secret, List<String> events, Instant created) {
    }

    public record LegacyHooks(List<LegacyHook> hooks) {
    }

    private static final Logger LOG = Logger.getLogger(LegacyImport.class.getName());

    private final TenantStore tenants;
    private final GroupStore ringGroups;
    private final GroupStore parkGroups;
    private final ApiKeyStore apiKeys;
    private final WebhookStore webhooks;

    public LegacyImport(TenantStore tenants, GroupStore ringGroups, GroupStore parkGroups, ApiKeyStore apiKeys,
                        WebhookStore webhooks) {
        this.tenants = tenants;
        this.ringGroups = ringGroups;
        this.parkGroups = parkGroups;
        this.apiKeys = apiKeys;
        this.webhooks = webhooks;
    }

    /** Imports what {@code legacy} holds (the file store of that release, preloaded); nothing when it is empty. */
    public void importFrom(Table<String, String> legacy) throws Exception {
        List<String> keys = List.copyOf(legacy.keys());
        if (keys.isEmpty()) {
            return;
        }
        int done = 0;
        try (Jsonb json = JsonbBuilder.create()) {
            // tenants first, so that what refers to them arrives after them
            for (String prefix : List.of("tenant:", "ringgroups:", "parkgroups:", "apikey:", "webhooks:")) {
                for (String key : keys) {
                    if (key.startsWith(prefix)) {
                        String value = legacy.get(key);
                        if (value != null) {
                            take(json, prefix, key.substring(prefix.length()), value);
                            legacy.remove(key, value);
                            done++;
                        }
                    }
                }
            }
        }
        LOG.info("imported " + done + " entries of the release before typed records (tenants, groups, API keys, "
                + "webhooks)");
    }

    private void take(Jsonb json, String prefix, String name, String value) {
        switch (prefix) {
            case "tenant:" -> {
                LegacyTenant t = json.fromJson(value, LegacyTenant.class);
                tenants.create(t.domain(), t.settings(), t.created(), t.updated());
                LOG.info("tenant " + t.domain() + ": imported");
            }
            case "ringgroups:" -> json.fromJson(value, LegacyGroups.class).groups()
                    .forEach(g -> ringGroups.create(name, g));
            case "parkgroups:" -> json.fromJson(value, LegacyGroups.class).groups()
                    .forEach(g -> parkGroups.create(name, g));
            case "apikey:" -> {
                LegacyKey k = json.fromJson(value, LegacyKey.class);
                apiKeys.keep(k.tenant(), new ListedKey(k.id(), name, k.created().toEpochMilli()));
            }
            case "webhooks:" -> json.fromJson(value, LegacyHooks.class).hooks().forEach(h -> webhooks.add(name,
                    new StoredWebhook(h.id(), h.url(), h.secret(), h.events(), h.created().toEpochMilli())));
            default -> throw new IllegalArgumentException(prefix);
        }
    }
}
