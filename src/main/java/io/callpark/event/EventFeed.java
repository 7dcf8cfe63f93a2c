package io.callpark.event;

import io.callpark.store.EventJournal;
import org.infinispan.notifications.Listener;
import org.infinispan.notifications.cachelistener.annotation.CacheEntryCreated;
import org.infinispan.notifications.cachelistener.event.CacheEntryCreatedEvent;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Hands every event that enters the replicated journal, on whichever node it was published, to this node's
 * subscribers (the event streams of its API clients).
 */
@Listener(sync = false)
public final class EventFeed {

    private static final Logger LOG = Logger.getLogger(EventFeed.class.getName());

    private final List<Consumer<EventJournal.Entry>> subscribers = new CopyOnWriteArrayList<>();

    public void subscribe(Consumer<EventJournal.Entry> subscriber) {
        subscribers.add(subscriber);
    }

    @CacheEntryCreated
    public void created(CacheEntryCreatedEvent<String, String> event) {
        if (event.isPre()) {
            return;
        }
        EventJournal.decode(event.getKey(), event.getValue()).ifPresent(entry -> {
            for (Consumer<EventJournal.Entry> subscriber : subscribers) {
                try {
                    subscriber.accept(entry);
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "tenant " + entry.tenant() + ": event " + entry.id() + " not passed on", e);
                }
            }
        });
    }
}
