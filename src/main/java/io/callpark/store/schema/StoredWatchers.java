package io.callpark.store.schema;

import io.callpark.park.Watcher;
import org.infinispan.protostream.annotations.ProtoField;

import java.util.List;

/**
 * The BLF keys watching one park slot, and a digest of the slot's state as they were last told it: one entry, so
 * that one write advances every watcher's CSeq and version and a change already told is never told twice.
 */
public record StoredWatchers(@ProtoField(number = 1, defaultValue = "0") long version,
                             @ProtoField(2) List<Watcher> watchers,
                             @ProtoField(number = 3, defaultValue = "0") long shownState)
        implements Versioned<StoredWatchers> {

    public StoredWatchers {
        watchers = List.copyOf(watchers);
    }

    public static StoredWatchers of(List<Watcher> watchers, long shownState) {
        return new StoredWatchers(0, watchers, shownState);
    }

    @Override
    public StoredWatchers withVersion(long newVersion) {
        return new StoredWatchers(newVersion, watchers, shownState);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof StoredWatchers o && o.version == version;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(version);
    }
}
