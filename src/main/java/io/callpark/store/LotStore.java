package io.callpark.store;

import io.callpark.store.schema.StoredLots;
import io.callpark.store.schema.TenantKey;
import io.callpark.tenant.ParkingLot;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A tenant's parking lots, all of them one entry of the replicated, persisted {@code parking-lots} cache: unique
 * names, ranges that do not overlap and codes that are no other lot's code or slot are one compare-and-set.
 */
public final class LotStore {

    public static final int MAX_LOTS = 20;

    public enum Outcome { DONE, NAME_TAKEN, NOT_FOUND, CLASH, TOO_MANY }

    /**
     * @param lot      the lot as written (DONE)
     * @param conflict for CLASH: which other lot's slots or code the lot meets
     */
    public record Result(Outcome outcome, Optional<ParkingLot> lot, String conflict) {
        static Result of(Outcome outcome) {
            return new Result(outcome, Optional.empty(), "");
        }
    }

    private final Table<TenantKey, StoredLots> lots;

    public LotStore(Table<TenantKey, StoredLots> lots) {
        this.lots = lots;
    }

    public List<ParkingLot> all(String tenant) {
        StoredLots stored = lots.get(new TenantKey(tenant));
        return stored == null ? List.of() : stored.lots();
    }

    public Optional<ParkingLot> find(String tenant, String name) {
        return all(tenant).stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** The lot whose slot or own code {@code number} is. */
    public Optional<ParkingLot> answering(String tenant, String number) {
        return all(tenant).stream().filter(l -> l.answersTo(number)).findFirst();
    }

    public Result create(String tenant, ParkingLot lot) {
        return write(tenant, lot.name(), lot, true);
    }

    /** Replaces the lot of that name (its name may change). */
    public Result replace(String tenant, String name, ParkingLot lot) {
        return write(tenant, name, lot, false);
    }

    public boolean delete(String tenant, String name) {
        AtomicReference<Boolean> removed = new AtomicReference<>(false);
        ConditionalUpdate.apply(lots, new TenantKey(tenant), current -> {
            List<ParkingLot> kept = new ArrayList<>(current.map(StoredLots::lots).orElse(List.of()));
            removed.set(kept.removeIf(l -> l.name().equals(name)));
            if (!removed.get()) {
                return current;
            }
            return kept.isEmpty() ? Optional.empty() : Optional.of(StoredLots.of(kept));
        });
        return removed.get();
    }

    public void deleteAll(String tenant) {
        lots.remove(new TenantKey(tenant));
    }

    private Result write(String tenant, String name, ParkingLot lot, boolean create) {
        AtomicReference<Result> result = new AtomicReference<>();
        ConditionalUpdate.apply(lots, new TenantKey(tenant), current -> {
            List<ParkingLot> all = new ArrayList<>(current.map(StoredLots::lots).orElse(List.of()));
            Optional<ParkingLot> existing = all.stream().filter(l -> l.name().equals(name)).findFirst();
            Optional<ParkingLot> named = all.stream().filter(l -> l.name().equals(lot.name())).findFirst();
            if (create ? existing.isPresent() : existing.isEmpty()) {
                result.set(Result.of(create ? Outcome.NAME_TAKEN : Outcome.NOT_FOUND));
                return current;
            }
            if (named.isPresent() && !named.equals(existing)) {
                result.set(Result.of(Outcome.NAME_TAKEN));
                return current;
            }
            if (create && all.size() >= MAX_LOTS) {
                result.set(Result.of(Outcome.TOO_MANY));
                return current;
            }
            existing.ifPresent(all::remove);
            Optional<String> clash = all.stream().map(other -> clash(lot, other)).flatMap(Optional::stream)
                    .findFirst();
            if (clash.isPresent()) {
                result.set(new Result(Outcome.CLASH, Optional.empty(), clash.get()));
                return current;
            }
            all.add(lot);
            result.set(new Result(Outcome.DONE, Optional.of(lot), ""));
            return Optional.of(StoredLots.of(all));
        });
        return result.get();
    }

    private static Optional<String> clash(ParkingLot lot, ParkingLot other) {
        String them = "lot '" + other.name() + "' (" + other.first() + "-" + other.last()
                + (other.code().isEmpty() ? "" : ", code " + other.code()) + ")";
        if (lot.overlaps(other)) {
            return Optional.of("slots " + lot.first() + "-" + lot.last() + " overlap " + them);
        }
        if (!lot.code().isEmpty() && other.answersTo(lot.code())) {
            return Optional.of("code " + lot.code() + " is a slot or the code of " + them);
        }
        if (!other.code().isEmpty() && lot.hasSlot(other.code())) {
            return Optional.of("slot " + other.code() + " is the code of " + them);
        }
        return Optional.empty();
    }
}
