package io.callpark.park;

/**
 * Where a parked call stands with its recall, kept with the call so any node can carry it on.
 *
 * @param at      epoch milliseconds of the next recall step; 0 for none
 * @param attempt recall attempts made so far
 * @param group   the park group the call was parked in (its recall settings apply), empty for none
 */
public record RecallState(long at, int attempt, String group) {

    public static final RecallState NONE = new RecallState(0, 0, "");

    public RecallState {
        group = group == null ? "" : Shared.text(group);
    }

    public static RecallState at(long at, String group) {
        return new RecallState(at, 0, group);
    }

    /** The state after one more attempt that nobody answered: the next step at {@code nextAt}. */
    public RecallState retriedAt(long nextAt) {
        return new RecallState(nextAt, attempt + 1, group);
    }
}
