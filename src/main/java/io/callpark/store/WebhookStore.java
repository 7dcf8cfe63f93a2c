package io.callpark.store;

import io.callpark.store.schema.StoredWebhook;
import io.callpark.store.schema.StoredWebhooks;
import io.callpark.store.schema.TenantKey;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The webhooks of each tenant, one entry per tenant in the replicated, persisted {@code webhooks} cache: one read
 * per event finds every hook to call. The signing secret is kept as issued (the sender needs it) and shown to the
 * client once.
 */
public final class WebhookStore {

    public static final int MAX_PER_TENANT = 10;

    /**
     * @param events the event types it wants (wire names); empty for all
     */
    public record Webhook(String id, String tenant, String url, String secret, List<String> events, Instant created) {
        public Webhook {
            events = List.copyOf(events);
        }

        public boolean wants(String eventType) {
            return events.isEmpty() || events.contains(eventType);
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();

    private final Table<TenantKey, StoredWebhooks> webhooks;

    public WebhookStore(Table<TenantKey, StoredWebhooks> webhooks) {
        this.webhooks = webhooks;
    }

    public List<Webhook> of(String tenant) {
        return hooks(Optional.ofNullable(webhooks.get(new TenantKey(tenant)))).stream()
                .map(h -> new Webhook(h.id(), tenant, h.url(), h.secret(), h.events(), Instant.ofEpochMilli(h.createdMs())))
                .toList();
    }

    /** Registers a webhook with a new secret; empty when the tenant has {@link #MAX_PER_TENANT} already. */
    public Optional<Webhook> add(String tenant, String url, List<String> events) {
        return add(tenant, new StoredWebhook(randomHex(6), url, "whsec_" + randomHex(24), events,
                System.currentTimeMillis()));
    }

    /** Registers a webhook as it was issued before (an import), secret included. */
    public Optional<Webhook> add(String tenant, StoredWebhook hook) {
        AtomicReference<Boolean> added = new AtomicReference<>(false);
        ConditionalUpdate.apply(webhooks, new TenantKey(tenant), current -> {
            List<StoredWebhook> hooks = new ArrayList<>(hooks(current));
            added.set(hooks.size() < MAX_PER_TENANT && hooks.stream().noneMatch(h -> h.id().equals(hook.id())));
            if (!added.get()) {
                return current;
            }
            hooks.add(hook);
            return Optional.of(StoredWebhooks.of(hooks));
        });
        return added.get() ? Optional.of(new Webhook(hook.id(), tenant, hook.url(), hook.secret(), hook.events(),
                Instant.ofEpochMilli(hook.createdMs()))) : Optional.empty();
    }

    public boolean remove(String tenant, String id) {
        AtomicReference<Boolean> removed = new AtomicReference<>(false);
        ConditionalUpdate.apply(webhooks, new TenantKey(tenant), current -> {
            List<StoredWebhook> hooks = new ArrayList<>(hooks(current));
            removed.set(hooks.removeIf(h -> h.id().equals(id)));
            if (!removed.get()) {
                return current;
            }
            return hooks.isEmpty() ? Optional.empty() : Optional.of(StoredWebhooks.of(hooks));
        });
        return removed.get();
    }

    public void removeAll(String tenant) {
        webhooks.remove(new TenantKey(tenant));
    }

    private static List<StoredWebhook> hooks(Optional<StoredWebhooks> value) {
        return value.map(StoredWebhooks::hooks).orElse(List.of());
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
