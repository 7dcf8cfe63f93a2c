package io.callpark.park;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One copy of the values that thousands of parked calls have in common (a tenant, an extension, the proxy's route,
 * a codec list, a node's name, a media relay's address), shared by every record that holds them, whether built from
 * a request here or read from another node. A parked call is held for minutes: one String per field per call was a
 * fifth of its heap. Call-IDs and tags are not shared: they are the call's own.
 */
public final class Shared {

    /** Most distinct values kept; reaching it starts the set again (a flood of odd values cannot grow it). */
    static final int MAX_VALUES = 1024;
    private static final Map<Object, Object> VALUES = new ConcurrentHashMap<>();

    private Shared() {
    }

    /** The one copy of {@code value}; the JVM's string table holds it only while something uses it. */
    public static String text(String value) {
        return value == null ? null : value.intern();
    }

    /** An unmodifiable list equal to {@code values}, the same instance for equal lists of short texts. */
    public static List<String> texts(List<String> values) {
        List<String> known = known(values);
        return known != null ? known : list(values.stream().map(Shared::text).toList());
    }

    /** An unmodifiable list equal to {@code values}, the same instance for equal lists. */
    public static <T> List<T> list(List<T> values) {
        List<T> known = known(values);
        return known != null ? known : value(List.copyOf(values));
    }

    /**
     * The kept list equal to {@code values}, or null: a record rebuilt from another (each change of a parked call)
     * passes the kept list again, which needs no copy and no interning.
     */
    @SuppressWarnings("unchecked")
    private static <T> List<T> known(List<T> values) {
        return values.isEmpty() ? List.of() : (List<T>) VALUES.get(values);
    }

    /** The one kept instance equal to {@code value} (an immutable value: a list, an address). */
    @SuppressWarnings("unchecked")
    public static <T> T value(T value) {
        Object known = VALUES.get(value);
        if (known != null) {
            return (T) known;
        }
        if (VALUES.size() >= MAX_VALUES) {
            VALUES.clear(); // the values in use come back with their next call; the records keep theirs
        }
        Object raced = VALUES.putIfAbsent(value, value);
        return raced == null ? value : (T) raced;
    }

    static int valuesKept() {
        return VALUES.size();
    }
}
