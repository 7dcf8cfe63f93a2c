package io.callpark.store.schema;

import org.infinispan.protostream.GeneratedSchema;
import org.infinispan.protostream.annotations.ProtoSchema;
import org.infinispan.protostream.annotations.ProtoSyntax;

/**
 * The wire format of everything Callpark keeps in its replicated caches. The annotation processor generates the
 * {@code callpark.proto} schema and its marshallers, and registers them (ServiceLoader) so that WildFly's
 * Infinispan marshals the deployment's keys and values with them.
 * <p>
 * Rules that keep a rolling upgrade working: a field keeps its number forever; a new field gets a new number; a
 * field that goes away leaves its number reserved ({@code @ProtoReserved}); enum values keep their numbers. The
 * bytes this release writes are kept under src/test/resources/wire and must still read with every later commit.
 */
@ProtoSchema(
        schemaPackageName = "callpark",
        schemaFileName = "callpark.proto",
        schemaFilePath = "proto",
        syntax = ProtoSyntax.PROTO2,
        includeClasses = {
                // keys
                ExtensionKey.class, CallIdKey.class, ParkIdKey.class, TenantKey.class, BridgeKey.class,
                KeyHash.class, EventKey.class,
                // values
                StoredQueue.class, CallLocator.class, StoredBridge.class, BridgeRef.class, StoredTenant.class,
                StoredGroups.class, StoredWebhooks.class, StoredWebhook.class, StoredKeyList.class, ListedKey.class,
                StoredApiKey.class, JournalEntry.class, StoredWatchers.class, StoredLots.class, StoredMusic.class,
                StoredAudio.class,
                // the domain's records, by adapter
                ParkedCallAdapter.class, PartyAdapter.class, DialogLegAdapter.class, MediaBindingAdapter.class,
                RecallStateAdapter.class, BridgeAdapter.class, TenantSettingsAdapter.class, FeatureCodesAdapter.class,
                GroupAdapter.class, GroupRecallAdapter.class, ParkStateAdapter.class, MediaDirectionAdapter.class,
                RecallDestinationAdapter.class, WatcherAdapter.class, ParkingLotAdapter.class
        })
public interface CallparkSchema extends GeneratedSchema {
}
