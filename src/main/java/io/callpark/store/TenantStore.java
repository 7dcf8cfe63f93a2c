package io.callpark.store;

import io.callpark.store.schema.StoredTenant;
import io.callpark.store.schema.TenantKey;
import io.callpark.tenant.TenantSettings;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/** Tenants and their park settings (replicated, persisted {@code tenants} cache). A tenant nobody configured parks with the defaults. */
public final class TenantStore {

    /**
     * A configured tenant.
     *
     * @param version what an update of it compares with the stored one
     */
    public record Tenant(String domain, TenantSettings settings, Instant created, Instant updated, long version) {
    }

    private final Table<TenantKey, StoredTenant> tenants;
    private final TenantSettings defaults;

    public TenantStore(Table<TenantKey, StoredTenant> tenants, TenantSettings defaults) {
        this.tenants = tenants;
        this.defaults = defaults;
    }

    public TenantSettings defaults() {
        return defaults;
    }

    public Optional<Tenant> find(String domain) {
        return Optional.ofNullable(tenants.get(new TenantKey(domain))).map(this::tenant);
    }

    /** The settings a park in this tenant uses now. */
    public TenantSettings settingsOf(String domain) {
        return find(domain).map(Tenant::settings).orElse(defaults);
    }

    /** Every tenant (the operator's list). */
    public List<Tenant> all() {
        return tenants.values().stream().map(this::tenant).sorted(Comparator.comparing(Tenant::domain)).toList();
    }

    /** Creates the tenant; false if it exists. */
    public boolean create(String domain, TenantSettings settings) {
        return create(domain, settings, Instant.now(), Instant.now());
    }

    /** Creates the tenant with the times it already has (an import); false if it exists. */
    public boolean create(String domain, TenantSettings settings, Instant created, Instant updated) {
        StoredTenant first = new StoredTenant(ConditionalUpdate.newVersion(), domain, settings,
                created.toEpochMilli(), updated.toEpochMilli());
        return tenants.putIfAbsent(new TenantKey(domain), first) == null;
    }

    /** Replaces the settings of an existing tenant, unless it changed since {@code expected} was read. */
    public Optional<Tenant> update(Tenant expected, TenantSettings next) {
        StoredTenant was = stored(expected);
        StoredTenant now = new StoredTenant(ConditionalUpdate.newVersion(), expected.domain(), next,
                expected.created().toEpochMilli(), System.currentTimeMillis());
        return tenants.replace(new TenantKey(expected.domain()), was, now) ? Optional.of(tenant(now)) : Optional.empty();
    }

    /** Tells {@code listener} every tenant deleted, on any node (on a cache thread: hand work on). */
    public AutoCloseable whenDeleted(Consumer<String> listener) {
        return tenants.watch((key, tenant) -> {
            if (tenant == null) {
                listener.accept(key.domain());
            }
        });
    }

    /**
     * Clears the server path each tenant named for its music before music was uploaded (it is never played): tells
     * {@code cleared} each tenant whose path this node cleared, with the path. Another node clearing it at the same
     * time wins quietly.
     */
    public void clearLegacyMusicFiles(java.util.function.BiConsumer<String, String> cleared) {
        for (Tenant tenant : all()) {
            String path = tenant.settings().legacyMusicFile();
            if (!path.isEmpty() && update(tenant, tenant.settings().withoutLegacyMusicFile()).isPresent()) {
                cleared.accept(tenant.domain(), path);
            }
        }
    }

    public boolean delete(String domain) {
        return tenants.remove(new TenantKey(domain)) != null;
    }

    private Tenant tenant(StoredTenant stored) {
        return new Tenant(stored.domain(), stored.settings().withLimitsFrom(defaults.limits()),
                Instant.ofEpochMilli(stored.createdMs()),
                Instant.ofEpochMilli(stored.updatedMs()), stored.version());
    }

    private static StoredTenant stored(Tenant tenant) {
        return new StoredTenant(tenant.version(), tenant.domain(), tenant.settings(), tenant.created().toEpochMilli(),
                tenant.updated().toEpochMilli());
    }
}
