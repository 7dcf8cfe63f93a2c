package io.callpark.tenant;

import io.callpark.tenant.TenantSettings.FeatureCodes;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Turns a client's JSON settings object into {@link TenantSettings}, or into the list of every rule it breaks:
 * a change is taken whole or not at all. Fields left out keep the value of the settings it starts from.
 */
public final class SettingsReader {

    static final Pattern FEATURE_CODE = Pattern.compile("\\*[0-9]{1,4}");
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    private static final Set<String> FIELDS = Set.of("recallTime", "recallDestination", "ringGroup",
            "ringGroupWait", "retryInterval", "callsPerExtension", "musicFile", "featureCodes");
    private static final Set<String> CODE_FIELDS = Set.of("park", "retrieve", "groupPark");

    /** The outcome: settings when {@code violations} is empty. */
    public record Result(TenantSettings settings, List<Violation> violations) {
        public boolean valid() {
            return violations.isEmpty();
        }
    }

    private final Function<Path, Optional<String>> musicProblem;
    private final List<Violation> violations = new ArrayList<>();

    /** @param musicProblem why a music file cannot be played (empty when it can) */
    private SettingsReader(Function<Path, Optional<String>> musicProblem) {
        this.musicProblem = musicProblem;
    }

    public static Result read(JsonObject json, TenantSettings base, Function<Path, Optional<String>> musicProblem) {
        return new SettingsReader(musicProblem).apply(json, base);
    }

    private Result apply(JsonObject json, TenantSettings base) {
        json.keySet().stream().filter(k -> !FIELDS.contains(k)).sorted().forEach(k ->
                violations.add(new Violation(k, "unknown-field", "not a setting; known: " + String.join(", ",
                        FIELDS.stream().sorted().toList()))));
        int recallTime = integer(json, "recallTime", base.recallTime(), TenantSettings.RECALL_MIN,
                TenantSettings.RECALL_MAX);
        RecallDestination destination = destination(json, base.recallDestination());
        String ringGroup = name(json, "ringGroup", base.ringGroup());
        int ringGroupWait = integer(json, "ringGroupWait", base.ringGroupWait(), 0, 300);
        int retryInterval = integer(json, "retryInterval", base.retryInterval(), 5, 300);
        int callsPerExtension = integer(json, "callsPerExtension", base.callsPerExtension(), 1, 100);
        String musicFile = musicFile(json, base.musicFile());
        FeatureCodes codes = featureCodes(json, base.featureCodes());
        if (destination != RecallDestination.PARKER && ringGroup.isEmpty() && !has("ringGroup")) {
            violations.add(new Violation("ringGroup", "required", "recallDestination " + destination.json()
                    + " needs a ringGroup"));
        }
        TenantSettings settings = new TenantSettings(recallTime, destination, ringGroup, ringGroupWait,
                retryInterval, callsPerExtension, musicFile, codes);
        return new Result(violations.isEmpty() ? settings : null, List.copyOf(violations));
    }

    private boolean has(String field) {
        return violations.stream().anyMatch(v -> v.field().equals(field));
    }

    private int integer(JsonObject json, String field, int fallback, int min, int max) {
        return integer(json.get(field), field, fallback, min, max);
    }

    private int integer(JsonValue value, String field, int fallback, int min, int max) {
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            violations.add(new Violation(field, "type", "must be a whole number from " + min + " to " + max));
            return fallback;
        }
        long n = number.longValue();
        if (n < min || n > max || !number.bigDecimalValue().equals(java.math.BigDecimal.valueOf(n))) {
            violations.add(new Violation(field, "range", "must be from " + min + " to " + max + " (got "
                    + number + ")"));
            return fallback;
        }
        return (int) n;
    }

    private Optional<String> string(JsonObject json, String field, String what) {
        JsonValue value = json.get(field);
        if (value == null) {
            return Optional.empty();
        }
        if (!(value instanceof JsonString s)) {
            violations.add(new Violation(field, "type", "must be a string: " + what));
            return Optional.empty();
        }
        return Optional.of(s.getString());
    }

    private RecallDestination destination(JsonObject json, RecallDestination fallback) {
        String allowed = "one of " + RecallDestination.allowed();
        return string(json, "recallDestination", allowed).map(name -> RecallDestination.fromJson(name)
                .orElseGet(() -> {
                    violations.add(new Violation("recallDestination", "enum", "must be " + allowed + " (got '"
                            + name + "')"));
                    return fallback;
                })).orElse(fallback);
    }

    private String name(JsonObject json, String field, String fallback) {
        String rule = "empty, or 1-40 letters, digits, '.', '_' or '-' starting with a letter or digit";
        return string(json, field, rule).map(name -> {
            if (!name.isEmpty() && !NAME.matcher(name).matches()) {
                violations.add(new Violation(field, "pattern", "must be " + rule + " (got '" + name + "')"));
                return fallback;
            }
            return name;
        }).orElse(fallback);
    }

    private String musicFile(JsonObject json, String fallback) {
        return string(json, "musicFile", "an absolute path to a WAV file, or empty").map(file -> {
            if (file.isEmpty()) {
                return file;
            }
            Path path = Path.of(file);
            if (!path.isAbsolute()) {
                violations.add(new Violation("musicFile", "absolute-path", "must be an absolute path (got '"
                        + file + "')"));
                return fallback;
            }
            Optional<String> problem = musicProblem.apply(path);
            problem.ifPresent(why -> violations.add(new Violation("musicFile", "playable", why)));
            return problem.isPresent() ? fallback : file;
        }).orElse(fallback);
    }

    private FeatureCodes featureCodes(JsonObject json, FeatureCodes fallback) {
        JsonValue value = json.get("featureCodes");
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonObject codes)) {
            violations.add(new Violation("featureCodes", "type", "must be an object with park, retrieve, groupPark"));
            return fallback;
        }
        codes.keySet().stream().filter(k -> !CODE_FIELDS.contains(k)).sorted().forEach(k -> violations.add(
                new Violation("featureCodes." + k, "unknown-field", "known: park, retrieve, groupPark")));
        FeatureCodes result = new FeatureCodes(code(codes, "park", fallback.park()),
                code(codes, "retrieve", fallback.retrieve()), code(codes, "groupPark", fallback.groupPark()));
        if (java.util.stream.Stream.of(result.park(), result.retrieve(), result.groupPark()).distinct().count() < 3) {
            violations.add(new Violation("featureCodes", "distinct", "park, retrieve and groupPark must differ"));
        }
        return result;
    }

    private String code(JsonObject codes, String field, String fallback) {
        String path = "featureCodes." + field;
        String rule = "'*' followed by 1-4 digits, e.g. *68";
        JsonValue value = codes.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof JsonString s)) {
            violations.add(new Violation(path, "type", "must be a string: " + rule));
            return fallback;
        }
        if (!FEATURE_CODE.matcher(s.getString()).matches()) {
            violations.add(new Violation(path, "pattern", "must be " + rule + " (got '" + s.getString() + "')"));
            return fallback;
        }
        return s.getString();
    }
}
