package io.callpark.event;

import io.callpark.store.WebhookStore;
import io.callpark.store.TenantStore;
import io.callpark.store.EventJournal;
import io.callpark.store.WebhookStore.Webhook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Publishes each park event to the API: into the replicated journal (which feeds every node's event streams)
 * and to the tenant's webhooks that want its type.
 */
@ApplicationScoped
public class EventPublisher {

    @Inject
    TenantStore tenants;

    @Inject
    WebhookStore webhooks;

    @Inject
    EventJournal journal;

    @Inject
    WebhookSender webhookSender;

    void on(@Observes ParkEvent event) {
        String tenant = event.call().tenant();
        String retrieveCode = tenants.settingsOf(tenant).featureCodes().retrieve();
        EventJournal.Entry entry = journal.append(tenant,
                id -> EventJson.event(id, event, retrieveCode).toString());
        String type = event.type().wireName();
        for (Webhook hook : webhooks.of(tenant)) {
            if (hook.wants(type)) {
                webhookSender.deliver(hook, entry, type);
            }
        }
    }
}
