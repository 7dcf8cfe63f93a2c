package io.callpark.event;

import io.callpark.flow.CallparkBootstrap;
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
    CallparkBootstrap bootstrap;

    void on(@Observes ParkEvent event) {
        String tenant = event.call().tenant();
        String retrieveCode = bootstrap.node().tenants().settingsOf(tenant).featureCodes().retrieve();
        EventJournal.Entry entry = bootstrap.journal().append(tenant,
                id -> EventJson.event(id, event, retrieveCode).toString());
        String type = event.type().wireName();
        for (Webhook hook : bootstrap.webhooks().of(tenant)) {
            if (hook.wants(type)) {
                bootstrap.webhookSender().deliver(hook, entry, type);
            }
        }
    }
}
