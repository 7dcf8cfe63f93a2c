package io.callpark.store;

import io.callpark.tenant.TenantSettings;
import org.infinispan.Cache;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Tenants and their park settings in the replicated, persisted {@code settings} cache (key {@code tenant:<domain>}).
 * A tenant nobody configured parks with the defaults.
 */
public final class TenantStore {

    /** A configured tenant. */
    public record Tenant(String domain, TenantSettings settings, Instant created, Instant updated) {
    }

    private static final String PREFIX = "tenant:";

    private final Cache<String, String> settings;
    private final JsonCodec json;
    private final TenantSettings defaults;

    public TenantStore(Cache<String, String> settings, JsonCodec json, TenantSettings defaults) {
        this.settings = settings;
        this.json = json;
        this.defaults = defaults;
    }

    private static String key(String domain) {
        return PREFIX + domain;
    }

    public TenantSettings defaults() {
        return defaults;
    }

    public Optional<Tenant> find(String domain) {
        return Optional.ofNullable(settings.get(key(domain))).map(v -> json.read(v, Tenant.class));
    }

    /** The settings a park in this tenant uses now. */
    public TenantSettings settingsOf(String domain) {
        return find(domain).map(Tenant::settings).orElse(defaults);
    }

    public List<Tenant> all() {
        return PrefixScan.of(settings, PREFIX).stream()
                .map(e -> json.read(e.getValue(), Tenant.class))
                .sorted(Comparator.comparing(Tenant::domain))
                .toList();
    }

    /** Creates the tenant; false if it exists. */
    public boolean create(String domain, TenantSettings tenantSettings) {
        Instant now = Instant.now();
        return settings.putIfAbsent(key(domain), json.write(new Tenant(domain, tenantSettings, now, now))) == null;
    }

    /** Replaces the settings of an existing tenant, unless {@code expected} is no longer what is stored. */
    public Optional<Tenant> update(Tenant expected, TenantSettings next) {
        Tenant updated = new Tenant(expected.domain(), next, expected.created(), Instant.now());
        boolean written = settings.replace(key(expected.domain()), json.write(expected), json.write(updated));
        return written ? Optional.of(updated) : Optional.empty();
    }

    public boolean delete(String domain) {
        return settings.remove(key(domain)) != null;
    }
}
