package io.callpark.tenant;

import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.IntStream;

/**
 * A tenant's parking lot: a named range of numbered slots (701-720), each holding one call. A slot is dialled to
 * park there (a transferred call) and to take back what waits there; the lot's own code, when it has one, parks
 * in its first free slot.
 *
 * @param name  unique in the tenant
 * @param first the lowest slot number
 * @param last  the highest slot number
 * @param code  digits dialled to park in the first free slot, empty for none
 */
public record ParkingLot(String name, int first, int last, String code) {

    public static final int MAX_SLOTS = 200;
    public static final int MAX_SLOT_NUMBER = 99_999_999;
    public static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,32}");
    public static final Pattern CODE = Pattern.compile("[0-9]{1,8}");

    public ParkingLot {
        code = code == null ? "" : code;
    }

    /** Whether {@code number} is one of this lot's slots, written as the slot is dialled (no leading zeros). */
    public boolean hasSlot(String number) {
        return slotNumber(number).filter(n -> n >= first && n <= last).isPresent();
    }

    public List<String> slots() {
        return IntStream.rangeClosed(first, last).mapToObj(Integer::toString).toList();
    }

    /** The first slot nothing waits at, by {@code taken}; empty when the lot is full. */
    public Optional<String> firstFree(Predicate<String> taken) {
        return slots().stream().filter(taken.negate()).findFirst();
    }

    public boolean overlaps(ParkingLot other) {
        return first <= other.last && other.first <= last;
    }

    /** Whether {@code number} is this lot's own code or one of its slots. */
    public boolean answersTo(String number) {
        return hasSlot(number) || !code.isEmpty() && code.equals(number);
    }

    private static Optional<Integer> slotNumber(String number) {
        if (number == null || !CODE.matcher(number).matches() || number.length() > 1 && number.charAt(0) == '0') {
            return Optional.empty();
        }
        return Optional.of(Integer.parseInt(number));
    }
}
