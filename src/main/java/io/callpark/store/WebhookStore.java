package io.callpark.store;

import org.infinispan.Cache;

import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The webhooks of each tenant, one entry per tenant ({@code webhooks:<domain>}) in the replicated, persisted
 * settings cache: one read per event finds every hook to call. The signing secret is kept as issued (the sender
 * needs it) and shown to the client once.
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

    /** What a tenant's entry holds. */
    public record Hooks(List<Webhook> hooks) {
        public Hooks {
            hooks = List.copyOf(hooks);
        }
    }

    private static final String PREFIX = "webhooks:";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Cache<String, String> settings;
    private final JsonCodec json;

    public WebhookStore(Cache<String, String> settings, JsonCodec json) {
        this.settings = settings;
        this.json = json;
    }

    public List<Webhook> of(String tenant) {
        return hooks(Optional.ofNullable(settings.get(PREFIX + tenant)));
    }

    private List<Webhook> hooks(Optional<String> value) {
        return value.map(v -> json.read(v, Hooks.class).hooks()).orElse(List.of());
    }

    /** Registers a webhook with a new secret; empty when the tenant has {@link #MAX_PER_TENANT} already. */
    public Optional<Webhook> add(String tenant, String url, List<String> events) {
        Webhook hook = new Webhook(randomHex(6), tenant, url, "whsec_" + randomHex(24), events, Instant.now());
        AtomicReference<Boolean> added = new AtomicReference<>(false);
        ConditionalUpdate.apply(settings, PREFIX + tenant, current -> {
            List<Webhook> hooks = new ArrayList<>(hooks(current));
            added.set(hooks.size() < MAX_PER_TENANT);
            if (!added.get()) {
                return current;
            }
            hooks.add(hook);
            return Optional.of(json.write(new Hooks(hooks)));
        });
        return added.get() ? Optional.of(hook) : Optional.empty();
    }

    public boolean remove(String tenant, String id) {
        AtomicReference<Boolean> removed = new AtomicReference<>(false);
        ConditionalUpdate.apply(settings, PREFIX + tenant, current -> {
            List<Webhook> hooks = new ArrayList<>(hooks(current));
            removed.set(hooks.removeIf(h -> h.id().equals(id)));
            if (!removed.get()) {
                return current;
            }
            return hooks.isEmpty() ? Optional.empty() : Optional.of(json.write(new Hooks(hooks)));
        });
        return removed.get();
    }

    public void removeAll(String tenant) {
        settings.remove(PREFIX + tenant);
    }

    private static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }
}
